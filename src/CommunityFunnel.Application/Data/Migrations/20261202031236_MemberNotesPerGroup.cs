using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class MemberNotesPerGroup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "notes",
                schema: "funnel",
                table: "group_memberships",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<List<string>>(
                name: "tags",
                schema: "funnel",
                table: "group_memberships",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");

            // Until now tags and notes were one per person, read by every group's operators: each group starts with a
            // copy of what was there, and from here on keeps its own.
            migrationBuilder.Sql("""
                UPDATE funnel.group_memberships gm SET tags = m.tags, notes = m.notes
                FROM funnel.members m WHERE m.id = gm.member_id AND (cardinality(m.tags) > 0 OR m.notes <> '');
                ALTER TABLE funnel.group_memberships ALTER COLUMN tags DROP DEFAULT;
                """);

            migrationBuilder.DropColumn(
                name: "notes",
                schema: "funnel",
                table: "members");

            migrationBuilder.DropColumn(
                name: "tags",
                schema: "funnel",
                table: "members");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "notes",
                schema: "funnel",
                table: "group_memberships");

            migrationBuilder.DropColumn(
                name: "tags",
                schema: "funnel",
                table: "group_memberships");

            migrationBuilder.AddColumn<string>(
                name: "notes",
                schema: "funnel",
                table: "members",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<List<string>>(
                name: "tags",
                schema: "funnel",
                table: "members",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");
        }
    }
}
