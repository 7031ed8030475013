using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReferralRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "referrals",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    referrer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    group_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reasons = table.Column<List<string>>(type: "text[]", nullable: false),
                    client_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decided_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_referrals", x => x.id);
                    table.ForeignKey(
                        name: "fk_referrals_groups_group_id",
                        column: x => x.group_id,
                        principalSchema: "funnel",
                        principalTable: "groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_referrals_members_member_id",
                        column: x => x.member_id,
                        principalSchema: "funnel",
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_referrals_members_referrer_id",
                        column: x => x.referrer_id,
                        principalSchema: "funnel",
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_referrals_group_id_status",
                schema: "funnel",
                table: "referrals",
                columns: new[] { "group_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_referrals_member_id",
                schema: "funnel",
                table: "referrals",
                column: "member_id",
                unique: true,
                filter: "status <> 'Refused'");

            migrationBuilder.CreateIndex(
                name: "ix_referrals_referrer_id_created_at",
                schema: "funnel",
                table: "referrals",
                columns: new[] { "referrer_id", "created_at" });

            // Referrers recorded before referrals were kept: their record, accepted, in the member's first group.
            migrationBuilder.Sql("""
                INSERT INTO funnel.referrals (id, member_id, referrer_id, group_id, status, reasons, client_address, created_at)
                SELECT gen_random_uuid(), m.id, m.referrer_id, first_group.group_id, 'Accepted', '{}', NULL, m.joined_at
                FROM funnel.members m
                CROSS JOIN LATERAL (
                    SELECT gm.group_id FROM funnel.group_memberships gm WHERE gm.member_id = m.id ORDER BY gm.joined_at LIMIT 1) AS first_group
                WHERE m.referrer_id IS NOT NULL
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "referrals",
                schema: "funnel");
        }
    }
}
