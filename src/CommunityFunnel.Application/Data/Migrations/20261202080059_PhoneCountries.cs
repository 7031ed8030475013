using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class PhoneCountries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "country",
                schema: "funnel",
                table: "groups",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "completed_backfills",
                schema: "funnel",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_completed_backfills", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "phone_findings",
                schema: "funnel",
                columns: table => new
                {
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stored_phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    normalized_phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    found_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_phone_findings", x => x.member_id);
                    table.ForeignKey(
                        name: "fk_phone_findings_members_member_id",
                        column: x => x.member_id,
                        principalSchema: "funnel",
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_phone_findings_normalized_phone",
                schema: "funnel",
                table: "phone_findings",
                column: "normalized_phone");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "completed_backfills",
                schema: "funnel");

            migrationBuilder.DropTable(
                name: "phone_findings",
                schema: "funnel");

            migrationBuilder.DropColumn(
                name: "country",
                schema: "funnel",
                table: "groups");
        }
    }
}
