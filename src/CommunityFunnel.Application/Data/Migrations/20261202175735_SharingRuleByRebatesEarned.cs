using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommunityFunnel.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class SharingRuleByRebatesEarned : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "rebates_currency",
                schema: "funnel",
                table: "sharing_rules",
                type: "character varying(3)",
                maxLength: 3,
                nullable: false,
                defaultValue: "CNY");

            migrationBuilder.AddColumn<decimal>(
                name: "rebates_earned_required",
                schema: "funnel",
                table: "sharing_rules",
                type: "numeric(12,2)",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 100m);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "rebates_currency",
                schema: "funnel",
                table: "sharing_rules");

            migrationBuilder.DropColumn(
                name: "rebates_earned_required",
                schema: "funnel",
                table: "sharing_rules");
        }
    }
}
