using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class PicturesAndPaymentInstructions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "image_id",
                schema: "funnel",
                table: "posts",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "payment_instructions",
                schema: "funnel",
                table: "groups",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "payment_qr_image_id",
                schema: "funnel",
                table: "groups",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "images",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    token = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    content_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    width = table.Column<int>(type: "integer", nullable: false),
                    height = table.Column<int>(type: "integer", nullable: false),
                    length = table.Column<int>(type: "integer", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_images", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "product_pictures",
                schema: "funnel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    image_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_product_pictures", x => x.id);
                    table.ForeignKey(
                        name: "fk_product_pictures_images_image_id",
                        column: x => x.image_id,
                        principalSchema: "funnel",
                        principalTable: "images",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_product_pictures_products_product_id",
                        column: x => x.product_id,
                        principalSchema: "funnel",
                        principalTable: "products",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_posts_image_id",
                schema: "funnel",
                table: "posts",
                column: "image_id");

            migrationBuilder.CreateIndex(
                name: "ix_groups_payment_qr_image_id",
                schema: "funnel",
                table: "groups",
                column: "payment_qr_image_id");

            migrationBuilder.CreateIndex(
                name: "ix_images_token",
                schema: "funnel",
                table: "images",
                column: "token",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_product_pictures_image_id",
                schema: "funnel",
                table: "product_pictures",
                column: "image_id");

            migrationBuilder.CreateIndex(
                name: "ix_product_pictures_product_id_position",
                schema: "funnel",
                table: "product_pictures",
                columns: new[] { "product_id", "position" });

            migrationBuilder.AddForeignKey(
                name: "fk_groups_images_payment_qr_image_id",
                schema: "funnel",
                table: "groups",
                column: "payment_qr_image_id",
                principalSchema: "funnel",
                principalTable: "images",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_posts_images_image_id",
                schema: "funnel",
                table: "posts",
                column: "image_id",
                principalSchema: "funnel",
                principalTable: "images",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_groups_images_payment_qr_image_id",
                schema: "funnel",
                table: "groups");

            migrationBuilder.DropForeignKey(
                name: "fk_posts_images_image_id",
                schema: "funnel",
                table: "posts");

            migrationBuilder.DropTable(
                name: "product_pictures",
                schema: "funnel");

            migrationBuilder.DropTable(
                name: "images",
                schema: "funnel");

            migrationBuilder.DropIndex(
                name: "ix_posts_image_id",
                schema: "funnel",
                table: "posts");

            migrationBuilder.DropIndex(
                name: "ix_groups_payment_qr_image_id",
                schema: "funnel",
                table: "groups");

            migrationBuilder.DropColumn(
                name: "image_id",
                schema: "funnel",
                table: "posts");

            migrationBuilder.DropColumn(
                name: "payment_instructions",
                schema: "funnel",
                table: "groups");

            migrationBuilder.DropColumn(
                name: "payment_qr_image_id",
                schema: "funnel",
                table: "groups");
        }
    }
}
