using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class EventOutboxAndPartialRefunds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "refunded_amount",
                schema: "funnel",
                table: "orders",
                type: "numeric(12,2)",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<int>(
                name: "refunded_quantity",
                schema: "funnel",
                table: "orders",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Orders refunded before partial refunds existed were refunded whole.
            migrationBuilder.Sql("UPDATE funnel.orders SET refunded_amount = unit_price * quantity, refunded_quantity = quantity WHERE status = 'Refunded'");

            migrationBuilder.CreateTable(
                name: "order_refunds",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    refunded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_order_refunds", x => x.id);
                    table.CheckConstraint("ck_order_refunds_amount", "amount > 0");
                    table.ForeignKey(
                        name: "fk_order_refunds_orders_order_id",
                        column: x => x.order_id,
                        principalSchema: "funnel",
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    relayed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.AddCheckConstraint(
                name: "ck_orders_refunded",
                schema: "funnel",
                table: "orders",
                sql: "refunded_amount BETWEEN 0 AND unit_price * quantity AND refunded_quantity BETWEEN 0 AND quantity");

            migrationBuilder.CreateIndex(
                name: "ix_order_refunds_order_id",
                schema: "funnel",
                table: "order_refunds",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_relayed_at",
                schema: "funnel",
                table: "outbox_messages",
                column: "relayed_at",
                filter: "relayed_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_waiting",
                schema: "funnel",
                table: "outbox_messages",
                column: "id",
                filter: "relayed_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "order_refunds",
                schema: "funnel");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "funnel");

            migrationBuilder.DropCheckConstraint(
                name: "ck_orders_refunded",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "refunded_amount",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "refunded_quantity",
                schema: "funnel",
                table: "orders");
        }
    }
}
