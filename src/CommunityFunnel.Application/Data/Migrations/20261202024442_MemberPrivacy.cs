using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class MemberPrivacy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "session_stamp",
                schema: "funnel",
                table: "members",
                type: "uuid",
                nullable: false,
                defaultValueSql: "gen_random_uuid()");

            migrationBuilder.AddColumn<Guid>(
                name: "group_id",
                schema: "funnel",
                table: "member_stage_transitions",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "member_links",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    group_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: true),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_member_links", x => x.id);
                    table.ForeignKey(
                        name: "fk_member_links_members_member_id",
                        column: x => x.member_id,
                        principalSchema: "funnel",
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_member_stage_transitions_group_id",
                schema: "funnel",
                table: "member_stage_transitions",
                column: "group_id");

            migrationBuilder.CreateIndex(
                name: "ix_member_links_member_id",
                schema: "funnel",
                table: "member_links",
                column: "member_id",
                filter: "used_at IS NULL AND revoked_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_member_links_token_hash",
                schema: "funnel",
                table: "member_links",
                column: "token_hash",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_member_stage_transitions_groups_group_id",
                schema: "funnel",
                table: "member_stage_transitions",
                column: "group_id",
                principalSchema: "funnel",
                principalTable: "groups",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_member_stage_transitions_groups_group_id",
                schema: "funnel",
                table: "member_stage_transitions");

            migrationBuilder.DropTable(
                name: "member_links",
                schema: "funnel");

            migrationBuilder.DropIndex(
                name: "ix_member_stage_transitions_group_id",
                schema: "funnel",
                table: "member_stage_transitions");

            migrationBuilder.DropColumn(
                name: "session_stamp",
                schema: "funnel",
                table: "members");

            migrationBuilder.DropColumn(
                name: "group_id",
                schema: "funnel",
                table: "member_stage_transitions");
        }
    }
}
