using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class SaleAnnouncements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "sale_announcement_plans",
                schema: "funnel",
                columns: table => new
                {
                    sale_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    group_id = table.Column<Guid>(type: "uuid", nullable: false),
                    teaser_minutes_before = table.Column<int[]>(type: "integer[]", nullable: false),
                    live_now = table.Column<bool>(type: "boolean", nullable: false),
                    low_stock_at = table.Column<int>(type: "integer", nullable: true),
                    sold_out = table.Column<bool>(type: "boolean", nullable: false),
                    link = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sale_announcement_plans", x => x.sale_id);
                    table.ForeignKey(
                        name: "fk_sale_announcement_plans_groups_group_id",
                        column: x => x.group_id,
                        principalSchema: "funnel",
                        principalTable: "groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sale_posts",
                schema: "funnel",
                columns: table => new
                {
                    sale_id = table.Column<Guid>(type: "uuid", nullable: false),
                    trigger = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    post_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sale_posts", x => new { x.sale_id, x.trigger });
                    table.ForeignKey(
                        name: "fk_sale_posts_posts_post_id",
                        column: x => x.post_id,
                        principalSchema: "funnel",
                        principalTable: "posts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_sale_posts_sale_announcement_plans_sale_id",
                        column: x => x.sale_id,
                        principalSchema: "funnel",
                        principalTable: "sale_announcement_plans",
                        principalColumn: "sale_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_sale_announcement_plans_group_id",
                schema: "funnel",
                table: "sale_announcement_plans",
                column: "group_id");

            migrationBuilder.CreateIndex(
                name: "ix_sale_posts_post_id",
                schema: "funnel",
                table: "sale_posts",
                column: "post_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sale_posts",
                schema: "funnel");

            migrationBuilder.DropTable(
                name: "sale_announcement_plans",
                schema: "funnel");
        }
    }
}
