using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class MemberReportsPayment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_payment_due_at",
                schema: "funnel",
                table: "orders");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "payment_reported_at",
                schema: "funnel",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_group_id_payment_reported_at",
                schema: "funnel",
                table: "orders",
                columns: new[] { "group_id", "payment_reported_at" },
                filter: "status = 'Pending' AND payment_reported_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_orders_payment_due_at",
                schema: "funnel",
                table: "orders",
                column: "payment_due_at",
                filter: "status = 'Pending' AND flash_sale_id IS NOT NULL AND payment_reported_at IS NULL");

            // A reservation the member says they paid waits for the host instead of expiring: the money may be on its way.
            migrationBuilder.Sql(SqlFunctions.Read(typeof(CommunityFunnel.Application.Sales.FlashSaleClaims), "expire_flash_reservations.v2.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_group_id_payment_reported_at",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_payment_due_at",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "payment_reported_at",
                schema: "funnel",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "ix_orders_payment_due_at",
                schema: "funnel",
                table: "orders",
                column: "payment_due_at",
                filter: "status = 'Pending' AND flash_sale_id IS NOT NULL");

            migrationBuilder.Sql(SqlFunctions.Read(typeof(CommunityFunnel.Application.Sales.FlashSaleClaims), "expire_flash_reservations.v1.sql"));
        }
    }
}
