#include "services/economy_json.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "common/division_code.h"
#include "services/json_reader.h"
#include "services/record_json.h"

namespace qiangji::services {
namespace {

using domain::AnnualReport;

constexpr ReportAmount kAmounts[] = {
    {"operating_revenue", &AnnualReport::operating_revenue},
    {"contracting_income", &AnnualReport::contracting_income},
    {"investment_income", &AnnualReport::investment_income},
    {"subsidy_income", &AnnualReport::subsidy_income},
    {"other_income", &AnnualReport::other_income},
    {"operating_costs", &AnnualReport::operating_costs},
    {"admin_expenses", &AnnualReport::admin_expenses},
    {"other_expenses", &AnnualReport::other_expenses},
    {"surplus", &AnnualReport::surplus},
    {"opening_undistributed", &AnnualReport::opening_undistributed},
    {"reserve_fund", &AnnualReport::reserve_fund},
    {"welfare_fund", &AnnualReport::welfare_fund},
    {"member_distribution", &AnnualReport::member_distribution},
    {"undistributed", &AnnualReport::undistributed},
    {"current_assets", &AnnualReport::current_assets},
    {"agricultural_assets", &AnnualReport::agricultural_assets},
    {"long_term_investments", &AnnualReport::long_term_investments},
    {"fixed_assets", &AnnualReport::fixed_assets},
    {"other_assets", &AnnualReport::other_assets},
    {"total_assets", &AnnualReport::total_assets},
    {"liabilities", &AnnualReport::liabilities},
    {"equity", &AnnualReport::equity},
};

// Keys a client may echo back that the parsers ignore (set by the path or the service, or
// derived).
constexpr std::string_view kCollectiveReadOnly[] = {"id", "updated_at"};
constexpr std::string_view kCollectiveKeys[] = {"division_code", "name",          "kind",
                                                "credit_code",   "registered_on", "member_count",
                                                "share_classes"};
constexpr std::string_view kReportReadOnly[] = {"collective_id",
                                                "updated_at",
                                                "operating_income_fen",
                                                "operating_profit_fen",
                                                "total_income_fen",
                                                "total_costs_fen",
                                                "band"};

json::value Num(double d) {
  if (!std::isfinite(d)) return nullptr;
  return d;
}

json::value Fen(int64_t fen) {
  if (fen == engines::economy::kNoReport) return nullptr;
  return fen;
}

using json_read::AsInt;

// The shared reader (json_reader.h) with the economy's years and village codes.
class Reader : public json_read::Reader {
 public:
  using json_read::Reader::Reader;

  void GetYear(std::string_view key, int& out, bool required = false) {
    const json::value* v = Find(key, required);
    if (!v) return;
    std::optional<int64_t> i = AsInt(*v);
    if (!i || *i < 0 || *i > 9999) return Error(key, "must be a year such as 2025");
    out = static_cast<int>(*i);
  }
  // A 12-digit division code as a string (the API's form) or, leniently, an integer.
  void GetCode(std::string_view key, int64_t& out, bool required = false) {
    const json::value* v = Find(key, required);
    if (!v) return;
    std::string text;
    if (v->is_string()) {
      text = std::string(v->get_string());
    } else if (std::optional<int64_t> i = AsInt(*v); i && *i >= 0) {
      text = fmt::format("{:012d}", *i);
    } else {
      return Error(key, "must be a 12-digit village code string");
    }
    Result<DivisionCode> code = DivisionCode::Parse(text);
    if (text.size() != 12 || !code.ok())
      return Error(key, fmt::format("\"{}\" must be a 12-digit village code", text));
    out = code->value();
  }
};

bool IsAmountKey(std::string_view key) {
  if (key.size() < 5 || key.substr(key.size() - 4) != "_fen") return false;
  const std::string_view name = key.substr(0, key.size() - 4);
  return std::any_of(std::begin(kAmounts), std::end(kAmounts),
                     [&](const ReportAmount& a) { return a.name == name; });
}

json::object BandCounts(const std::array<int64_t, engines::economy::kBandCount>& bands) {
  json::object o;
  for (size_t i = 0; i < domain::kIncomeBands.size(); ++i)
    o[domain::kIncomeBands[i].key] = bands[i];
  return o;
}

json::array YearList(const std::vector<engines::economy::YearFigures>& years) {
  json::array a;
  for (const auto& y : years) a.push_back(YearFiguresJson(y));
  return a;
}

json::object GroupJson(const EconomyReport::Group& g) {
  return {{"villages", g.villages},
          {"mean_growth", Num(g.mean_growth)},
          {"weak_share", Num(g.weak_share)}};
}

}  // namespace

std::span<const ReportAmount> ReportAmounts() { return kAmounts; }

std::string ReportJsonField(std::string_view domain_field) {
  for (const ReportAmount& a : kAmounts)
    if (a.name == domain_field) return std::string(domain_field) + "_fen";
  return std::string(domain_field);
}

json::object CollectiveJson(const domain::Collective& c) {
  json::array shares;
  for (const domain::ShareClass& s : c.share_classes)
    shares.push_back(json::object{{"name", s.name}, {"shares", s.shares}});
  return {{"id", c.id},
          {"division_code", DivisionCodeJson(c.division_code)},
          {"name", c.name},
          {"kind", c.kind},
          {"credit_code", c.credit_code},
          {"registered_on", DateJson(c.registered_on)},
          {"member_count", c.member_count},
          {"share_classes", std::move(shares)},
          {"updated_at", TextOrNull(c.updated_at)}};
}

Result<domain::Collective> CollectiveFromJson(const json::object& o,
                                              std::string_view field_prefix) {
  FieldErrors errors;
  Reader r(o, std::string(field_prefix), errors);
  domain::Collective c;
  r.GetCode("division_code", c.division_code);
  r.Get("name", c.name, true);
  r.Get("kind", c.kind);
  r.Get("credit_code", c.credit_code, true);
  r.GetDate("registered_on", c.registered_on);
  r.GetInt("member_count", c.member_count, "an integer (the number of members)");
  if (const json::value* v = r.Find("share_classes")) {
    if (!v->is_array()) {
      r.Error("share_classes", "must be an array of {name, shares}");
    } else {
      const json::array& a = v->get_array();
      for (size_t i = 0; i < a.size(); ++i) {
        const std::string at = fmt::format("share_classes[{}]", i);
        if (!a[i].is_object()) {
          r.Error(at, "must be an object {name, shares}");
          continue;
        }
        Reader item(a[i].get_object(), r.Path(at) + ".", errors);
        domain::ShareClass s;
        item.Get("name", s.name, true);
        item.Get("shares", s.shares);
        item.RejectUnknown({"name", "shares"});
        c.share_classes.push_back(std::move(s));
      }
    }
  }
  r.RejectUnknown(kCollectiveKeys, kCollectiveReadOnly);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return c;
}

json::object AnnualReportJson(const AnnualReport& r) {
  json::object o{{"collective_id", r.collective_id},
                 {"division_code", DivisionCodeJson(r.division_code)},
                 {"year", r.year}};
  for (const ReportAmount& a : kAmounts) o[fmt::format("{}_fen", a.name)] = r.*a.member;
  o["note"] = r.note;
  o["updated_at"] = TextOrNull(r.updated_at);
  const int64_t income = domain::OperatingIncome(r);
  o["operating_income_fen"] = income;
  o["operating_profit_fen"] = domain::OperatingProfit(r);
  o["total_income_fen"] = domain::TotalIncome(r);
  o["total_costs_fen"] = domain::TotalCosts(r);
  o["band"] = domain::kIncomeBands[static_cast<size_t>(domain::IncomeBandOf(income))].key;
  return o;
}

Result<AnnualReport> AnnualReportFromJson(const json::object& o, std::string_view field_prefix) {
  FieldErrors errors;
  Reader r(o, std::string(field_prefix), errors);
  AnnualReport rep;
  r.GetCode("division_code", rep.division_code);
  r.GetYear("year", rep.year, true);
  for (const ReportAmount& a : kAmounts)
    r.GetInt(fmt::format("{}_fen", a.name), rep.*a.member, "an integer count of fen");
  r.Get("note", rep.note);
  constexpr std::string_view kKeys[] = {"division_code", "year", "note"};
  r.RejectUnknown(kKeys, kReportReadOnly, IsAmountKey);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return rep;
}

json::object YearFiguresJson(const engines::economy::YearFigures& y) {
  return {{"year", y.year},
          {"villages", y.villages},
          {"reported", y.reported},
          {"bands", BandCounts(y.bands)},
          {"weak", y.weak},
          {"exits", y.exits},
          {"total_income_fen", y.total_income_fen},
          {"median_income_fen", y.median_income_fen},
          {"total_growth", Num(y.total_growth)}};
}

json::object EconomyReportJson(const EconomyReport& r) {
  json::array years;
  for (int y = r.first_year; y <= r.last_year && r.first_year > 0; ++y) years.push_back(y);
  json::array bands;
  for (size_t i = 0; i < domain::kIncomeBands.size(); ++i) {
    const domain::IncomeBand& b = domain::kIncomeBands[i];
    bands.push_back(json::object{
        {"key", b.key},
        {"lower_fen", i == 0 ? json::value(nullptr) : json::value(b.lower_fen)},
        {"upper_fen", b.upper_fen == 0 ? json::value(nullptr) : json::value(b.upper_fen)}});
  }
  json::array townships;
  for (const EconomyReport::Township& t : r.townships)
    townships.push_back(json::object{{"code", DivisionCodeJson(t.code)},
                                     {"name", t.name},
                                     {"years", YearList(t.years)},
                                     {"growth_last", Num(t.growth_last)},
                                     {"rank", t.rank}});
  json::array villages;
  for (const VillageEconomy& v : r.villages) {
    json::array income, profit, growth;
    for (int64_t x : v.income_fen) income.push_back(Fen(x));
    for (int64_t x : v.profit_fen) profit.push_back(Fen(x));
    for (double g : v.growth) growth.push_back(Num(g));
    const int64_t last = v.income_fen.empty() ? engines::economy::kNoReport : v.income_fen.back();
    json::value band = nullptr;
    if (last != engines::economy::kNoReport)
      band = domain::kIncomeBands[static_cast<size_t>(domain::IncomeBandOf(last))].key;
    villages.push_back(json::object{
        {"division_code", DivisionCodeJson(v.division_code)},
        {"name", v.name},
        {"township_code", DivisionCodeJson(v.township_code)},
        {"township_name", v.township_name},
        {"income_fen", std::move(income)},
        {"profit_fen", std::move(profit)},
        {"growth", std::move(growth)},
        {"cagr", Num(v.cagr)},
        {"band", std::move(band)},
        {"weak", v.weak},
        {"exit_year", v.exit_year == 0 ? json::value(nullptr) : json::value(v.exit_year)},
        {"assisted", v.assisted}});
  }
  return {{"first_year", r.first_year},        {"last_year", r.last_year},
          {"years", std::move(years)},         {"weak_threshold_fen", r.weak_threshold_fen},
          {"bands", std::move(bands)},         {"total", YearList(r.total)},
          {"townships", std::move(townships)}, {"villages", std::move(villages)},
          {"assisted", GroupJson(r.assisted)}, {"unassisted", GroupJson(r.unassisted)}};
}

}  // namespace qiangji::services
