using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class RebateLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "commission_plans",
                schema: "funnel",
                columns: table => new
                {
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    level1_percent = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: false),
                    level2_percent = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: false),
                    hold_days = table.Column<int>(type: "integer", nullable: false),
                    min_order_amount = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    per_order_cap = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    include_traffic = table.Column<bool>(type: "boolean", nullable: false),
                    include_flash_sales = table.Column<bool>(type: "boolean", nullable: false),
                    tiers = table.Column<string>(type: "jsonb", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_commission_plans", x => x.currency);
                    table.CheckConstraint("ck_commission_plans_hold", "hold_days BETWEEN 0 AND 365");
                    table.CheckConstraint("ck_commission_plans_levels", "level1_percent BETWEEN 0 AND 100 AND level2_percent BETWEEN 0 AND level1_percent AND level1_percent + level2_percent <= 100");
                });

            migrationBuilder.CreateTable(
                name: "rebate_entries",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    level = table.Column<short>(type: "smallint", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: true),
                    source_id = table.Column<Guid>(type: "uuid", nullable: false),
                    buyer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    pending_delta = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    available_delta = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    paid_out_delta = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    available_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rebate_entries", x => x.id);
                    table.CheckConstraint("ck_rebate_entries_shape", "(kind = 'Earned' AND pending_delta > 0 AND available_delta = 0 AND paid_out_delta = 0 AND level IN (1, 2))\nOR (kind = 'Released' AND pending_delta < 0 AND available_delta = -pending_delta AND paid_out_delta = 0 AND level IN (1, 2))\nOR (kind = 'Voided' AND pending_delta < 0 AND available_delta = 0 AND paid_out_delta = 0 AND level IN (1, 2))\nOR (kind = 'ClawedBack' AND pending_delta = 0 AND available_delta < 0 AND paid_out_delta = 0 AND level IN (1, 2))\nOR (kind = 'PaidOut' AND pending_delta = 0 AND available_delta < 0 AND paid_out_delta = -available_delta AND level = 0)");
                    table.ForeignKey(
                        name: "fk_rebate_entries_members_buyer_id",
                        column: x => x.buyer_id,
                        principalSchema: "funnel",
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_rebate_entries_members_member_id",
                        column: x => x.member_id,
                        principalSchema: "funnel",
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_rebate_entries_orders_order_id",
                        column: x => x.order_id,
                        principalSchema: "funnel",
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_rebate_entries_awaiting_release",
                schema: "funnel",
                table: "rebate_entries",
                column: "available_at",
                filter: "kind = 'Earned' AND available_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_rebate_entries_buyer_id",
                schema: "funnel",
                table: "rebate_entries",
                column: "buyer_id");

            migrationBuilder.CreateIndex(
                name: "ix_rebate_entries_kind_source_id_member_id_level",
                schema: "funnel",
                table: "rebate_entries",
                columns: new[] { "kind", "source_id", "member_id", "level" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_rebate_entries_member_id_currency",
                schema: "funnel",
                table: "rebate_entries",
                columns: new[] { "member_id", "currency" });

            migrationBuilder.CreateIndex(
                name: "ix_rebate_entries_order_id",
                schema: "funnel",
                table: "rebate_entries",
                column: "order_id");

            migrationBuilder.Sql(SqlFunctions.Read(typeof(CommunityFunnel.Application.Rebates.RebateLedger), "rebate_entries_append_only.v1.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS rebate_entries_append_only ON funnel.rebate_entries; DROP FUNCTION IF EXISTS funnel.refuse_ledger_change();");

            migrationBuilder.DropTable(
                name: "commission_plans",
                schema: "funnel");

            migrationBuilder.DropTable(
                name: "rebate_entries",
                schema: "funnel");
        }
    }
}
