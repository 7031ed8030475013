using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class EventRevisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ends_at",
                schema: "funnel",
                table: "events",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string[]>(
                name: "plan_steps",
                schema: "funnel",
                table: "events",
                type: "text[]",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "revised_at",
                schema: "funnel",
                table: "events",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "starts_at",
                schema: "funnel",
                table: "events",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "template",
                schema: "funnel",
                table: "events",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: false,
                defaultValue: "");

            // Events from before revisions: their start as one instant (the earliest group's), the default template.
            // Their plans were not kept; editing one offers the default countdown.
            migrationBuilder.Sql("""
                UPDATE funnel.events e
                SET starts_at = to_char((SELECT min(o.starts_at) FROM funnel.event_occurrences o WHERE o.event_id = e.id) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"'),
                    template = '⏰ {event}: {countdown} · {starts_at} {link}'
                WHERE e.starts_at = '';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ends_at",
                schema: "funnel",
                table: "events");

            migrationBuilder.DropColumn(
                name: "plan_steps",
                schema: "funnel",
                table: "events");

            migrationBuilder.DropColumn(
                name: "revised_at",
                schema: "funnel",
                table: "events");

            migrationBuilder.DropColumn(
                name: "starts_at",
                schema: "funnel",
                table: "events");

            migrationBuilder.DropColumn(
                name: "template",
                schema: "funnel",
                table: "events");
        }
    }
}
