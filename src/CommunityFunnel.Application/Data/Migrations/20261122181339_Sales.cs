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

            // One round trip per claim. The stock row is touched last so its lock is held only until commit; a sold-out
            // sale raises CF409 so the member counter and the order inserted before it roll back with the statement.
            migrationBuilder.Sql("""
                CREATE FUNCTION funnel.claim_flash_sale(p_sale uuid, p_member uuid, p_quantity int, p_key text, p_order uuid, p_now timestamptz)
                RETURNS TABLE (r_outcome text, r_order_id uuid, r_quantity int, r_remaining int, r_payment_due_at timestamptz)
                LANGUAGE plpgsql AS $fn$
                DECLARE
                    v_sale record;
                    v_first record;
                    v_stage text;
                    v_held int;
                    v_left int;
                BEGIN
                    IF p_key IS NOT NULL THEN
                        SELECT o.id, o.member_id, o.quantity, o.payment_due_at INTO v_first
                        FROM funnel.orders o WHERE o.flash_sale_id = p_sale AND o.idempotency_key = p_key;
                        IF FOUND THEN
                            IF v_first.member_id <> p_member THEN
                                RETURN QUERY SELECT 'key_reused', NULL::uuid, 0, NULL::int, NULL::timestamptz;
                            ELSE
                                RETURN QUERY SELECT 'replayed', v_first.id, v_first.quantity, NULL::int, v_first.payment_due_at;
                            END IF;
                            RETURN;
                        END IF;
                    END IF;

                    SELECT s.group_id, s.product_id, s.price, s.currency, s.per_member_limit, s.min_stage, s.starts_at, s.ends_at,
                           s.cancelled_at, s.payment_window, p.tier, g.is_archived
                    INTO v_sale
                    FROM funnel.flash_sales s
                    JOIN funnel.products p ON p.id = s.product_id
                    JOIN funnel.groups g ON g.id = s.group_id
                    WHERE s.id = p_sale;
                    IF NOT FOUND THEN
                        RETURN QUERY SELECT 'unknown_sale', NULL::uuid, 0, NULL::int, NULL::timestamptz; RETURN;
                    END IF;
                    IF v_sale.cancelled_at IS NOT NULL OR v_sale.is_archived OR p_now < v_sale.starts_at OR p_now >= v_sale.ends_at THEN
                        RETURN QUERY SELECT 'not_live', NULL::uuid, 0, NULL::int, NULL::timestamptz; RETURN;
                    END IF;

                    SELECT m.stage INTO v_stage FROM funnel.members m WHERE m.id = p_member;
                    IF NOT FOUND THEN
                        RETURN QUERY SELECT 'unknown_member', NULL::uuid, 0, NULL::int, NULL::timestamptz; RETURN;
                    END IF;
                    IF NOT EXISTS (SELECT 1 FROM funnel.group_memberships gm WHERE gm.group_id = v_sale.group_id AND gm.member_id = p_member) THEN
                        RETURN QUERY SELECT 'not_in_group', NULL::uuid, 0, NULL::int, NULL::timestamptz; RETURN;
                    END IF;
                    IF array_position(ARRAY['Free', 'Low', 'Mid', 'High', 'Sharing'], v_stage)
                       < array_position(ARRAY['Free', 'Low', 'Mid', 'High', 'Sharing'], v_sale.min_stage) THEN
                        RETURN QUERY SELECT 'stage_too_low', NULL::uuid, 0, NULL::int, NULL::timestamptz; RETURN;
                    END IF;

                    -- The per-member counter: the conflict arm locks the member's row and checks the limit on its latest version.
                    INSERT INTO funnel.flash_sale_buyers AS b (flash_sale_id, member_id, quantity)
                    SELECT p_sale, p_member, p_quantity WHERE p_quantity <= v_sale.per_member_limit
                    ON CONFLICT (flash_sale_id, member_id) DO UPDATE SET quantity = b.quantity + excluded.quantity
                        WHERE b.quantity + excluded.quantity <= v_sale.per_member_limit;
                    IF NOT FOUND THEN
                        SELECT b.quantity INTO v_held FROM funnel.flash_sale_buyers b WHERE b.flash_sale_id = p_sale AND b.member_id = p_member;
                        RETURN QUERY SELECT 'limit_reached', NULL::uuid, coalesce(v_held, 0), NULL::int, NULL::timestamptz; RETURN;
                    END IF;

                    INSERT INTO funnel.orders (id, member_id, group_id, product_id, tier, quantity, unit_price, currency, status, created_at,
                                               payment_due_at, flash_sale_id, idempotency_key)
                    VALUES (p_order, p_member, v_sale.group_id, v_sale.product_id, v_sale.tier, p_quantity, v_sale.price, v_sale.currency,
                            'Pending', p_now, p_now + v_sale.payment_window, p_sale, p_key);

                    UPDATE funnel.flash_sales s SET remaining = s.remaining - p_quantity
                    WHERE s.id = p_sale AND s.remaining >= p_quantity
                    RETURNING s.remaining INTO v_left;
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'sold_out' USING ERRCODE = 'CF409',
                            DETAIL = (SELECT s.remaining::text FROM funnel.flash_sales s WHERE s.id = p_sale);
                    END IF;

                    RETURN QUERY SELECT 'claimed', p_order, p_quantity, v_left, p_now + v_sale.payment_window;
                END
                $fn$;
                """);

            // Expiry: orders first (SKIP LOCKED: one being paid right now is left alone), then member counters, then the
            // stock rows, the same lock order as a claim, so the two never deadlock. One sweep at a time.
            migrationBuilder.Sql("""
                CREATE FUNCTION funnel.expire_flash_reservations(p_now timestamptz, p_batch int)
                RETURNS TABLE (flash_sale_id uuid, units int)
                LANGUAGE plpgsql AS $fn$
                #variable_conflict use_column
                DECLARE
                    v_sales uuid[];
                    v_members uuid[];
                    v_quantities int[];
                BEGIN
                    IF NOT pg_try_advisory_xact_lock(hashtext('funnel.expire_flash_reservations')) THEN
                        RETURN;
                    END IF;

                    WITH expired AS (
                        UPDATE funnel.orders o SET status = 'Expired', cancelled_at = p_now
                        WHERE o.id IN (
                            SELECT d.id FROM funnel.orders d
                            WHERE d.status = 'Pending' AND d.flash_sale_id IS NOT NULL AND d.payment_due_at <= p_now
                            ORDER BY d.payment_due_at LIMIT p_batch
                            FOR UPDATE SKIP LOCKED)
                          AND o.status = 'Pending'
                        RETURNING o.flash_sale_id, o.member_id, o.quantity)
                    SELECT array_agg(e.flash_sale_id), array_agg(e.member_id), array_agg(e.quantity)
                    INTO v_sales, v_members, v_quantities FROM expired e;
                    IF v_sales IS NULL THEN
                        RETURN;
                    END IF;

                    UPDATE funnel.flash_sale_buyers b SET quantity = b.quantity - x.q
                    FROM (SELECT u.s, u.m, sum(u.q)::int AS q FROM unnest(v_sales, v_members, v_quantities) AS u(s, m, q) GROUP BY u.s, u.m) x
                    WHERE b.flash_sale_id = x.s AND b.member_id = x.m;

                    RETURN QUERY
                    UPDATE funnel.flash_sales fs SET remaining = fs.remaining + x.q
                    FROM (SELECT u.s, sum(u.q)::int AS q FROM unnest(v_sales, v_quantities) AS u(s, q) GROUP BY u.s) x
                    WHERE fs.id = x.s
                    RETURNING fs.id, x.q;
                END
                $fn$;
                """);

            // An operator cancelling an unpaid flash-sale order puts its units back (same lock order as a claim).
            migrationBuilder.Sql("""
                CREATE FUNCTION funnel.return_flash_units(p_sale uuid, p_member uuid, p_quantity int)
                RETURNS void
                LANGUAGE sql AS $fn$
                    UPDATE funnel.flash_sale_buyers SET quantity = quantity - p_quantity WHERE flash_sale_id = p_sale AND member_id = p_member;
                    UPDATE funnel.flash_sales SET remaining = remaining + p_quantity WHERE id = p_sale;
                $fn$;
                """);
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
