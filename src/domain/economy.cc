// Invariants of the collective economy's records. Like records.cc, each Validate* collects every
// broken rule as a field error named by the JSON field.
#include "domain/economy.h"

#include <set>

#include <fmt/format.h>

#include "common/money.h"
#include "domain/records.h"
#include "domain/text.h"

namespace qiangji::domain {
namespace {

// GB 32100-2015 table 1: the 31 characters of the code and their values 0..30.
constexpr std::string_view kCreditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// Table 2: W_i = 3^(i-1) mod 31, i = 1..17.
constexpr int kCreditWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

int CreditValue(char c) {
  const size_t at = kCreditChars.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

constexpr int64_t kMaxAmountFen = 1'000'000'000'000'000;  // 10^13 yuan: no sum can overflow

std::string Yuan(int64_t fen) {
  return fmt::format("{} yuan ({} fen)", Money::FromFen(fen).ToString(), fen);
}

void CheckAmount(FieldErrors& errors, std::string_view field, int64_t fen, bool may_be_negative) {
  if (fen > kMaxAmountFen || fen < -kMaxAmountFen) {
    errors.Add(std::string(field), "is out of range (at most 10^13 yuan)");
  } else if (!may_be_negative && fen < 0) {
    errors.Add(std::string(field), "must not be negative");
  }
}

}  // namespace

char CreditCodeCheckChar(std::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    const int v = CreditValue(first17[i]);
    if (v < 0) return '\0';
    sum += v * kCreditWeights[i];
  }
  const int check = (31 - sum % 31) % 31;  // MOD(31, 31) = 0
  return kCreditChars[static_cast<size_t>(check)];
}

Status ValidateCreditCode(std::string_view code, std::string_view field) {
  const std::string f(field);
  if (code.size() != 18)
    return Status::InvalidField(f, fmt::format("must be 18 characters (GB 32100), not {}",
                                                  code.size()));
  for (size_t i = 0; i < 17; ++i) {  // the 18th is judged against the check character
    if (CreditValue(code[i]) < 0)
      return Status::InvalidField(
          f, fmt::format("character {} \"{}\" is not a digit or a capital other than I, O, S, V, Z",
                         i + 1, code[i]));
  }
  const char check = CreditCodeCheckChar(code.substr(0, 17));
  if (code[17] != check)
    return Status::InvalidField(
        f, fmt::format("check character is \"{}\" but GB 32100 gives \"{}\"", code[17], check));
  return Status::Ok();
}

Status ValidateCollective(const Collective& c) {
  FieldErrors errors;
  if (c.division_code < 100000000000 || c.division_code > 999999999999 ||
      c.division_code % 1000 == 0)
    errors.Add("division_code", "must be a 12-digit village code");
  CheckText(errors, "name", c.name, true, 60);
  if (!Contains(kCollectiveKinds, c.kind))
    errors.Add("kind", fmt::format("\"{}\" is not one of {}", c.kind, Listing(kCollectiveKinds)));
  if (c.credit_code.empty()) {
    errors.Add("credit_code", "is required (the unified social credit code, GB 32100)");
  } else if (Status st = ValidateCreditCode(c.credit_code); !st.ok()) {
    errors.Add("credit_code", st.field_errors()[0].message);
  }
  if (c.registered_on && *c.registered_on > Date::TodayInChina())
    errors.Add("registered_on", "must not be in the future");
  if (c.member_count < 0) errors.Add("member_count", "must not be negative");
  if (c.member_count > 1'000'000) errors.Add("member_count", "must be at most 1,000,000");
  if (c.share_classes.size() > 10) errors.Add("share_classes", "name at most 10 classes");
  std::set<std::string> names;
  for (size_t i = 0; i < c.share_classes.size(); ++i) {
    const ShareClass& s = c.share_classes[i];
    const std::string at = fmt::format("share_classes[{}]", i);
    CheckText(errors, at + ".name", s.name, true, 20);
    if (!s.name.empty() && !names.insert(s.name).second) errors.Add(at + ".name", "is repeated");
    if (s.shares < 0) errors.Add(at + ".shares", "must not be negative");
  }
  return errors.ToStatus();
}

int64_t OperatingIncome(const AnnualReport& r) {
  return r.operating_revenue + r.contracting_income + r.investment_income;
}
int64_t OperatingProfit(const AnnualReport& r) { return OperatingIncome(r) - r.operating_costs; }
int64_t TotalIncome(const AnnualReport& r) {
  return OperatingIncome(r) + r.subsidy_income + r.other_income;
}
int64_t TotalCosts(const AnnualReport& r) {
  return r.operating_costs + r.admin_expenses + r.other_expenses;
}

Status ValidateAnnualReport(const AnnualReport& r) {
  FieldErrors errors;
  if (r.year < 2000 || r.year > 2100) errors.Add("year", "must be a year from 2000 to 2100");
  const struct {
    std::string_view field;
    int64_t fen;
    bool may_be_negative;
  } amounts[] = {
      {"operating_revenue", r.operating_revenue, false},
      {"contracting_income", r.contracting_income, false},
      {"investment_income", r.investment_income, true},
      {"subsidy_income", r.subsidy_income, false},
      {"other_income", r.other_income, false},
      {"operating_costs", r.operating_costs, false},
      {"admin_expenses", r.admin_expenses, false},
      {"other_expenses", r.other_expenses, false},
      {"surplus", r.surplus, true},
      {"opening_undistributed", r.opening_undistributed, true},
      {"reserve_fund", r.reserve_fund, false},
      {"welfare_fund", r.welfare_fund, false},
      {"member_distribution", r.member_distribution, false},
      {"undistributed", r.undistributed, true},
      {"current_assets", r.current_assets, false},
      {"agricultural_assets", r.agricultural_assets, false},
      {"long_term_investments", r.long_term_investments, false},
      {"fixed_assets", r.fixed_assets, false},
      {"other_assets", r.other_assets, false},
      {"total_assets", r.total_assets, false},
      {"liabilities", r.liabilities, false},
      {"equity", r.equity, true},
  };
  for (const auto& a : amounts) CheckAmount(errors, a.field, a.fen, a.may_be_negative);
  CheckText(errors, "note", r.note, false, 500, true);
  if (!errors.empty()) return errors.ToStatus();  // the sums below need amounts in range

  // The table's totals, each named by the figure it should be.
  const int64_t surplus = TotalIncome(r) - TotalCosts(r);
  if (r.surplus != surplus)
    errors.Add("surplus", "must equal all income minus operating costs, administrative and other "
                          "expenses: " + Yuan(surplus));
  const int64_t undistributed = r.surplus + r.opening_undistributed - r.reserve_fund -
                                r.welfare_fund - r.member_distribution;
  if (r.undistributed != undistributed)
    errors.Add("undistributed",
               "must equal the surplus plus the opening undistributed surplus minus the funds and "
               "the distribution to members: " + Yuan(undistributed));
  const int64_t assets = r.current_assets + r.agricultural_assets + r.long_term_investments +
                         r.fixed_assets + r.other_assets;
  if (r.total_assets != assets)
    errors.Add("total_assets", "must equal the sum of the asset classes: " + Yuan(assets));
  if (r.total_assets != r.liabilities + r.equity)
    errors.Add("equity", "must equal total assets minus liabilities: " +
                             Yuan(r.total_assets - r.liabilities));
  return errors.ToStatus();
}

int IncomeBandOf(int64_t operating_income_fen) {
  for (size_t i = kIncomeBands.size(); i-- > 1;)
    if (operating_income_fen >= kIncomeBands[i].lower_fen) return static_cast<int>(i);
  return 0;
}

}  // namespace qiangji::domain
