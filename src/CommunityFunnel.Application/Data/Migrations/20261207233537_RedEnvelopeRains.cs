using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class RedEnvelopeRains : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "coupons",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    amount_off = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    min_order = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    source_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_coupons", x => x.id);
                    table.CheckConstraint("ck_coupons_amount_off", "amount_off > 0");
                    table.ForeignKey(
                        name: "fk_coupons_members_member_id",
                        column: x => x.member_id,
                        principalSchema: "funnel",
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "credit_entries",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    source_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_credit_entries", x => x.id);
                    table.CheckConstraint("ck_credit_entries_amount", "amount <> 0");
                    table.ForeignKey(
                        name: "fk_credit_entries_members_member_id",
                        column: x => x.member_id,
                        principalSchema: "funnel",
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "red_envelope_rains",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_id = table.Column<Guid>(type: "uuid", nullable: true),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    payout_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    coupon_min_order = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    coupon_valid_days = table.Column<int>(type: "integer", nullable: true),
                    announce = table.Column<bool>(type: "boolean", nullable: false),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_red_envelope_rains", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "red_envelope_waves",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    rain_id = table.Column<Guid>(type: "uuid", nullable: false),
                    group_id = table.Column<Guid>(type: "uuid", nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    offset_minutes = table.Column<int>(type: "integer", nullable: false),
                    opens_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closes_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    budget = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    packet_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_red_envelope_waves", x => x.id);
                    table.ForeignKey(
                        name: "fk_red_envelope_waves_groups_group_id",
                        column: x => x.group_id,
                        principalSchema: "funnel",
                        principalTable: "groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_red_envelope_waves_red_envelope_rains_rain_id",
                        column: x => x.rain_id,
                        principalSchema: "funnel",
                        principalTable: "red_envelope_rains",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "red_envelope_packets",
                schema: "funnel",
                columns: table => new
                {
                    wave_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    claimed_by = table.Column<Guid>(type: "uuid", nullable: true),
                    claimed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_red_envelope_packets", x => new { x.wave_id, x.position });
                    table.CheckConstraint("ck_red_envelope_packets_amount", "amount > 0");
                    table.ForeignKey(
                        name: "fk_red_envelope_packets_members_claimed_by",
                        column: x => x.claimed_by,
                        principalSchema: "funnel",
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_red_envelope_packets_red_envelope_waves_wave_id",
                        column: x => x.wave_id,
                        principalSchema: "funnel",
                        principalTable: "red_envelope_waves",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_coupons_member_id",
                schema: "funnel",
                table: "coupons",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "ix_coupons_source_id_member_id",
                schema: "funnel",
                table: "coupons",
                columns: new[] { "source_id", "member_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_credit_entries_kind_source_id_member_id",
                schema: "funnel",
                table: "credit_entries",
                columns: new[] { "kind", "source_id", "member_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_credit_entries_member_id_currency",
                schema: "funnel",
                table: "credit_entries",
                columns: new[] { "member_id", "currency" });

            migrationBuilder.CreateIndex(
                name: "ix_red_envelope_packets_claimed_by",
                schema: "funnel",
                table: "red_envelope_packets",
                column: "claimed_by");

            migrationBuilder.CreateIndex(
                name: "ix_red_envelope_packets_wave_id_claimed_by",
                schema: "funnel",
                table: "red_envelope_packets",
                columns: new[] { "wave_id", "claimed_by" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_red_envelope_waves_group_id_opens_at",
                schema: "funnel",
                table: "red_envelope_waves",
                columns: new[] { "group_id", "opens_at" });

            migrationBuilder.CreateIndex(
                name: "ix_red_envelope_waves_rain_id",
                schema: "funnel",
                table: "red_envelope_waves",
                column: "rain_id");

            migrationBuilder.Sql(SqlFunctions.Read(typeof(CommunityFunnel.Application.Rebates.RebateLedger), "rebate_entries_append_only.v2.sql"));
            migrationBuilder.Sql(SqlFunctions.Read(typeof(CommunityFunnel.Application.Wallet.MemberWallets), "credit_entries_append_only.v1.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqlFunctions.Read(typeof(CommunityFunnel.Application.Rebates.RebateLedger), "rebate_entries_append_only.v1.sql"));

            migrationBuilder.DropTable(
                name: "coupons",
                schema: "funnel");

            migrationBuilder.DropTable(
                name: "credit_entries",
                schema: "funnel");

            migrationBuilder.DropTable(
                name: "red_envelope_packets",
                schema: "funnel");

            migrationBuilder.DropTable(
                name: "red_envelope_waves",
                schema: "funnel");

            migrationBuilder.DropTable(
                name: "red_envelope_rains",
                schema: "funnel");
        }
    }
}
