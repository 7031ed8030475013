using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class MemberSignIn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "telegram_user_id",
                schema: "funnel",
                table: "members",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "rate_counters",
                schema: "funnel",
                columns: table => new
                {
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    window_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    hits = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rate_counters", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "sign_in_codes",
                schema: "funnel",
                columns: table => new
                {
                    phone_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: true),
                    salt = table.Column<byte[]>(type: "bytea", nullable: false),
                    code_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    join_group_id = table.Column<Guid>(type: "uuid", nullable: true),
                    telegram_user_id = table.Column<long>(type: "bigint", nullable: true),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    sends_in_window = table.Column<int>(type: "integer", nullable: false),
                    window_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sign_in_codes", x => x.phone_hash);
                    table.ForeignKey(
                        name: "fk_sign_in_codes_groups_join_group_id",
                        column: x => x.join_group_id,
                        principalSchema: "funnel",
                        principalTable: "groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_sign_in_codes_members_member_id",
                        column: x => x.member_id,
                        principalSchema: "funnel",
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "ix_members_telegram_user_id",
                schema: "funnel",
                table: "members",
                column: "telegram_user_id",
                unique: true,
                filter: "telegram_user_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_sign_in_codes_join_group_id",
                schema: "funnel",
                table: "sign_in_codes",
                column: "join_group_id");

            migrationBuilder.CreateIndex(
                name: "ix_sign_in_codes_member_id",
                schema: "funnel",
                table: "sign_in_codes",
                column: "member_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rate_counters",
                schema: "funnel");

            migrationBuilder.DropTable(
                name: "sign_in_codes",
                schema: "funnel");

            migrationBuilder.DropIndex(
                name: "ix_members_telegram_user_id",
                schema: "funnel",
                table: "members");

            migrationBuilder.DropColumn(
                name: "telegram_user_id",
                schema: "funnel",
                table: "members");
        }
    }
}
