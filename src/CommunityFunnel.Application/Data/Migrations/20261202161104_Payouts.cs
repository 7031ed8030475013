using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class Payouts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "payouts",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    minimum = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    paid_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    paid_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payouts", x => x.id);
                    table.CheckConstraint("ck_payouts_minimum", "minimum > 0");
                    table.CheckConstraint("ck_payouts_status", "(status = 'Draft' AND paid_at IS NULL AND cancelled_at IS NULL)\nOR (status = 'Paid' AND paid_at IS NOT NULL AND cancelled_at IS NULL)\nOR (status = 'Cancelled' AND paid_at IS NULL AND cancelled_at IS NOT NULL)");
                });

            migrationBuilder.CreateTable(
                name: "payout_items",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    payout_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    reference = table.Column<string>(type: "character varying(11)", maxLength: 11, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    hold_reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    is_open = table.Column<bool>(type: "boolean", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payout_items", x => x.id);
                    table.CheckConstraint("ck_payout_items_amount", "amount > 0");
                    table.CheckConstraint("ck_payout_items_hold", "(status = 'Included' AND hold_reason IS NULL) OR (status = 'HeldBack' AND hold_reason IS NOT NULL)");
                    table.ForeignKey(
                        name: "fk_payout_items_members_member_id",
                        column: x => x.member_id,
                        principalSchema: "funnel",
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_payout_items_payouts_payout_id",
                        column: x => x.payout_id,
                        principalSchema: "funnel",
                        principalTable: "payouts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_payout_items_one_open_per_member",
                schema: "funnel",
                table: "payout_items",
                columns: new[] { "member_id", "currency" },
                unique: true,
                filter: "is_open");

            migrationBuilder.CreateIndex(
                name: "ix_payout_items_payout_id_member_id",
                schema: "funnel",
                table: "payout_items",
                columns: new[] { "payout_id", "member_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_payout_items_reference",
                schema: "funnel",
                table: "payout_items",
                column: "reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_payouts_created_at",
                schema: "funnel",
                table: "payouts",
                column: "created_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "payout_items",
                schema: "funnel");

            migrationBuilder.DropTable(
                name: "payouts",
                schema: "funnel");
        }
    }
}
