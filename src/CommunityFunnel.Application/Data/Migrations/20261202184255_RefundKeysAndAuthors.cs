using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class RefundKeysAndAuthors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "basis",
                schema: "funnel",
                table: "order_refunds",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            // Refunds made before the basis was kept: those that took units back are counted as by units.
            migrationBuilder.Sql("UPDATE funnel.order_refunds SET basis = CASE WHEN quantity = 0 THEN 'Amount' ELSE 'Units' END");

            migrationBuilder.AddColumn<string>(
                name: "idempotency_key",
                schema: "funnel",
                table: "order_refunds",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "refunded_by",
                schema: "funnel",
                table: "order_refunds",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_order_refunds_idempotency_key",
                schema: "funnel",
                table: "order_refunds",
                column: "idempotency_key",
                unique: true,
                filter: "idempotency_key IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_order_refunds_idempotency_key",
                schema: "funnel",
                table: "order_refunds");

            migrationBuilder.DropColumn(
                name: "basis",
                schema: "funnel",
                table: "order_refunds");

            migrationBuilder.DropColumn(
                name: "idempotency_key",
                schema: "funnel",
                table: "order_refunds");

            migrationBuilder.DropColumn(
                name: "refunded_by",
                schema: "funnel",
                table: "order_refunds");
        }
    }
}
