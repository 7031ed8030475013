using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class PromotionDaysAndGifts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_orders_unit_price",
                schema: "funnel",
                table: "orders");

            migrationBuilder.AddColumn<Guid>(
                name: "gift_for_referral_id",
                schema: "funnel",
                table: "orders",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "promotion_days",
                schema: "funnel",
                columns: table => new
                {
                    group_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day_of_month = table.Column<int>(type: "integer", nullable: false),
                    multiplier = table.Column<decimal>(type: "numeric(4,2)", precision: 4, scale: 2, nullable: false),
                    gift_product_id = table.Column<Guid>(type: "uuid", nullable: true),
                    next_event_id = table.Column<Guid>(type: "uuid", nullable: true),
                    next_event_date = table.Column<DateOnly>(type: "date", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_promotion_days", x => x.group_id);
                    table.CheckConstraint("ck_promotion_days_day", "day_of_month BETWEEN 1 AND 31");
                    table.CheckConstraint("ck_promotion_days_multiplier", "multiplier BETWEEN 1 AND 10");
                    table.ForeignKey(
                        name: "fk_promotion_days_events_next_event_id",
                        column: x => x.next_event_id,
                        principalSchema: "funnel",
                        principalTable: "events",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_promotion_days_groups_group_id",
                        column: x => x.group_id,
                        principalSchema: "funnel",
                        principalTable: "groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_promotion_days_products_gift_product_id",
                        column: x => x.gift_product_id,
                        principalSchema: "funnel",
                        principalTable: "products",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_orders_gift_for_referral_id",
                schema: "funnel",
                table: "orders",
                column: "gift_for_referral_id");

            migrationBuilder.CreateIndex(
                name: "ix_orders_member_id_gift_for_referral_id",
                schema: "funnel",
                table: "orders",
                columns: new[] { "member_id", "gift_for_referral_id" },
                unique: true,
                filter: "gift_for_referral_id IS NOT NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_orders_unit_price",
                schema: "funnel",
                table: "orders",
                sql: "unit_price > 0 OR (status = 'Gifted' AND unit_price = 0)");

            migrationBuilder.CreateIndex(
                name: "ix_promotion_days_gift_product_id",
                schema: "funnel",
                table: "promotion_days",
                column: "gift_product_id");

            migrationBuilder.CreateIndex(
                name: "ix_promotion_days_next_event_id",
                schema: "funnel",
                table: "promotion_days",
                column: "next_event_id");

            migrationBuilder.AddForeignKey(
                name: "fk_orders_referrals_gift_for_referral_id",
                schema: "funnel",
                table: "orders",
                column: "gift_for_referral_id",
                principalSchema: "funnel",
                principalTable: "referrals",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_orders_referrals_gift_for_referral_id",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropTable(
                name: "promotion_days",
                schema: "funnel");

            migrationBuilder.DropIndex(
                name: "ix_orders_gift_for_referral_id",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_member_id_gift_for_referral_id",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropCheckConstraint(
                name: "ck_orders_unit_price",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "gift_for_referral_id",
                schema: "funnel",
                table: "orders");

            migrationBuilder.AddCheckConstraint(
                name: "ck_orders_unit_price",
                schema: "funnel",
                table: "orders",
                sql: "unit_price > 0");
        }
    }
}
