using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class Sales : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "flash_sale_id",
                schema: "funnel",
                table: "orders",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "group_buy_id",
                schema: "funnel",
                table: "orders",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "idempotency_key",
                schema: "funnel",
                table: "orders",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "payment_due_at",
                schema: "funnel",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "referral_code",
                schema: "funnel",
                table: "members",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValueSql: "rtrim(translate(encode(substring(uuid_send(gen_random_uuid()) from 9 for 8), 'base64'), '+/', '-_'), '=')");

            migrationBuilder.AddColumn<string>(
                name: "join_code",
                schema: "funnel",
                table: "groups",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValueSql: "rtrim(translate(encode(substring(uuid_send(gen_random_uuid()) from 9 for 8), 'base64'), '+/', '-_'), '=')");

            migrationBuilder.AddColumn<string>(
                name: "language",
                schema: "funnel",
                table: "groups",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "flash_sale_templates",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    group_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    days = table.Column<int[]>(type: "integer[]", nullable: false),
                    local_start = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    duration = table.Column<TimeSpan>(type: "interval", nullable: false),
                    price = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    stock = table.Column<int>(type: "integer", nullable: false),
                    per_member_limit = table.Column<int>(type: "integer", nullable: false),
                    payment_window = table.Column<TimeSpan>(type: "interval", nullable: false),
                    min_stage = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_flash_sale_templates", x => x.id);
                    table.ForeignKey(
                        name: "fk_flash_sale_templates_groups_group_id",
                        column: x => x.group_id,
                        principalSchema: "funnel",
                        principalTable: "groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_flash_sale_templates_products_product_id",
                        column: x => x.product_id,
                        principalSchema: "funnel",
                        principalTable: "products",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "group_buys",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    group_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    min_participants = table.Column<int>(type: "integer", nullable: false),
                    opens_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closes_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    settled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    succeeded = table.Column<bool>(type: "boolean", nullable: true),
                    final_price = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    final_participants = table.Column<int>(type: "integer", nullable: true),
                    tiers = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_group_buys", x => x.id);
                    table.ForeignKey(
                        name: "fk_group_buys_groups_group_id",
                        column: x => x.group_id,
                        principalSchema: "funnel",
                        principalTable: "groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_group_buys_products_product_id",
                        column: x => x.product_id,
                        principalSchema: "funnel",
                        principalTable: "products",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "flash_sales",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    group_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    price = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    stock = table.Column<int>(type: "integer", nullable: false),
                    remaining = table.Column<int>(type: "integer", nullable: false),
                    per_member_limit = table.Column<int>(type: "integer", nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    payment_window = table.Column<TimeSpan>(type: "interval", nullable: false),
                    min_stage = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    template_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_flash_sales", x => x.id);
                    table.CheckConstraint("ck_flash_sales_limit", "per_member_limit BETWEEN 1 AND stock");
                    table.CheckConstraint("ck_flash_sales_price", "price > 0");
                    table.CheckConstraint("ck_flash_sales_remaining", "remaining BETWEEN 0 AND stock");
                    table.CheckConstraint("ck_flash_sales_window", "ends_at > starts_at");
                    table.ForeignKey(
                        name: "fk_flash_sales_flash_sale_templates_template_id",
                        column: x => x.template_id,
                        principalSchema: "funnel",
                        principalTable: "flash_sale_templates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_flash_sales_groups_group_id",
                        column: x => x.group_id,
                        principalSchema: "funnel",
                        principalTable: "groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_flash_sales_products_product_id",
                        column: x => x.product_id,
                        principalSchema: "funnel",
                        principalTable: "products",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "flash_sale_buyers",
                schema: "funnel",
                columns: table => new
                {
                    flash_sale_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_flash_sale_buyers", x => new { x.flash_sale_id, x.member_id });
                    table.CheckConstraint("ck_flash_sale_buyers_quantity", "quantity >= 0");
                    table.ForeignKey(
                        name: "fk_flash_sale_buyers_flash_sales_flash_sale_id",
                        column: x => x.flash_sale_id,
                        principalSchema: "funnel",
                        principalTable: "flash_sales",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_flash_sale_buyers_members_member_id",
                        column: x => x.member_id,
                        principalSchema: "funnel",
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_orders_flash_sale_id_idempotency_key",
                schema: "funnel",
                table: "orders",
                columns: new[] { "flash_sale_id", "idempotency_key" },
                unique: true,
                filter: "idempotency_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_orders_group_buy_id_member_id",
                schema: "funnel",
                table: "orders",
                columns: new[] { "group_buy_id", "member_id" },
                unique: true,
                filter: "group_buy_id IS NOT NULL AND status IN ('Pending', 'Paid')");

            migrationBuilder.CreateIndex(
                name: "ix_orders_payment_due_at",
                schema: "funnel",
                table: "orders",
                column: "payment_due_at",
                filter: "status = 'Pending' AND flash_sale_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_members_referral_code",
                schema: "funnel",
                table: "members",
                column: "referral_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_groups_join_code",
                schema: "funnel",
                table: "groups",
                column: "join_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_flash_sale_buyers_member_id",
                schema: "funnel",
                table: "flash_sale_buyers",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "ix_flash_sale_templates_group_id",
                schema: "funnel",
                table: "flash_sale_templates",
                column: "group_id");

            migrationBuilder.CreateIndex(
                name: "ix_flash_sale_templates_product_id",
                schema: "funnel",
                table: "flash_sale_templates",
                column: "product_id");

            migrationBuilder.CreateIndex(
                name: "ix_flash_sales_group_id_starts_at",
                schema: "funnel",
                table: "flash_sales",
                columns: new[] { "group_id", "starts_at" });

            migrationBuilder.CreateIndex(
                name: "ix_flash_sales_product_id",
                schema: "funnel",
                table: "flash_sales",
                column: "product_id");

            migrationBuilder.CreateIndex(
                name: "ix_flash_sales_template_id_starts_at",
                schema: "funnel",
                table: "flash_sales",
                columns: new[] { "template_id", "starts_at" },
                unique: true,
                filter: "template_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_group_buys_closes_at",
                schema: "funnel",
                table: "group_buys",
                column: "closes_at",
                filter: "settled_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_group_buys_group_id_opens_at",
                schema: "funnel",
                table: "group_buys",
                columns: new[] { "group_id", "opens_at" });

            migrationBuilder.CreateIndex(
                name: "ix_group_buys_product_id",
                schema: "funnel",
                table: "group_buys",
                column: "product_id");

            migrationBuilder.AddForeignKey(
                name: "fk_orders_flash_sales_flash_sale_id",
                schema: "funnel",
                table: "orders",
                column: "flash_sale_id",
                principalSchema: "funnel",
                principalTable: "flash_sales",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_orders_group_buys_group_buy_id",
                schema: "funnel",
                table: "orders",
                column: "group_buy_id",
                principalSchema: "funnel",
                principalTable: "group_buys",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // Existing groups keep writing in the language their time zone suggested so far.
            migrationBuilder.Sql("""
                UPDATE funnel.groups SET language = CASE
                    WHEN time_zone_id IN ('Asia/Shanghai', 'Asia/Chongqing', 'Asia/Harbin', 'Asia/Urumqi', 'PRC') THEN 'zh-Hans'
                    WHEN time_zone_id IN ('Asia/Taipei', 'Asia/Hong_Kong', 'Asia/Macau') THEN 'zh-Hant'
                    WHEN time_zone_id IN ('Europe/Madrid', 'Atlantic/Canary', 'Africa/Ceuta') THEN 'es'
                    ELSE 'en' END
                """);

            migrationBuilder.Sql(SqlFunctions.Read(typeof(CommunityFunnel.Application.Sales.FlashSaleClaims), "claim_flash_sale.v1.sql"));
            migrationBuilder.Sql(SqlFunctions.Read(typeof(CommunityFunnel.Application.Sales.FlashSaleClaims), "expire_flash_reservations.v1.sql"));
            migrationBuilder.Sql(SqlFunctions.Read(typeof(CommunityFunnel.Application.Sales.FlashSaleClaims), "return_flash_units.v1.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION funnel.claim_flash_sale(uuid, uuid, int, text, uuid, timestamptz)");
            migrationBuilder.Sql("DROP FUNCTION funnel.expire_flash_reservations(timestamptz, int)");
            migrationBuilder.Sql("DROP FUNCTION funnel.return_flash_units(uuid, uuid, int)");

            migrationBuilder.DropForeignKey(
                name: "fk_orders_flash_sales_flash_sale_id",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropForeignKey(
                name: "fk_orders_group_buys_group_buy_id",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropTable(
                name: "flash_sale_buyers",
                schema: "funnel");

            migrationBuilder.DropTable(
                name: "group_buys",
                schema: "funnel");

            migrationBuilder.DropTable(
                name: "flash_sales",
                schema: "funnel");

            migrationBuilder.DropTable(
                name: "flash_sale_templates",
                schema: "funnel");

            migrationBuilder.DropIndex(
                name: "ix_orders_flash_sale_id_idempotency_key",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_group_buy_id_member_id",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_orders_payment_due_at",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "ix_members_referral_code",
                schema: "funnel",
                table: "members");

            migrationBuilder.DropIndex(
                name: "ix_groups_join_code",
                schema: "funnel",
                table: "groups");

            migrationBuilder.DropColumn(
                name: "flash_sale_id",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "group_buy_id",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "idempotency_key",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "payment_due_at",
                schema: "funnel",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "referral_code",
                schema: "funnel",
                table: "members");

            migrationBuilder.DropColumn(
                name: "join_code",
                schema: "funnel",
                table: "groups");

            migrationBuilder.DropColumn(
                name: "language",
                schema: "funnel",
                table: "groups");
        }
    }
}
