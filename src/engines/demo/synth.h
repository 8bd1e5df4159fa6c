// Synthetic but plausible village records for a demo county, generated from the county's real
// divisions. Pure computation: divisions and a seed in, records out; the same input gives the
// same output on every machine. What the mixes are and where they come from: docs/demo.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "domain/records.h"

namespace qiangji::engines::demo {

struct SynthOptions {
  uint64_t seed = 2026;
  // Ages, join dates, post starts and term expiries are placed relative to this day, so a demo
  // built on any day shows some terms expiring within 90 days and some already expired.
  Date today;
  // 籍贯 of people born in the county, e.g. "河北阜平"; derived from the county's name if empty.
  std::string native_place;
  // Places outsiders come from (first secretaries, some in-married spouses), e.g. "河北曲阳".
  std::vector<std::string> nearby_places;
};

// Records refer to people by their index in DemoCounty::people, since ids come from storage.
struct DemoPartyOrg {
  domain::PartyOrg org;             // id and secretary_person_id unset
  std::optional<size_t> secretary;  // index into people; empty when the post is vacant
};

struct DemoPost {
  size_t person = 0;  // index into people
  domain::Post post;  // id and person_id unset
};

struct DemoCounty {
  std::vector<domain::Village> villages;  // one per residents' or villagers' committee
  std::vector<DemoPartyOrg> party_orgs;   // one per committee, in division-code order
  std::vector<domain::Person> people;     // ids unset; ID numbers plain
  std::vector<DemoPost> posts;
  // Committees left deliberately without a current secretary / director / reserve cadre.
  std::vector<int64_t> secretary_vacant;
  std::vector<int64_t> director_vacant;
  std::vector<int64_t> without_reserve_cadres;
};

// `divisions` holds the county, its townships and its village-level units (any order; others
// are ignored). Records are made for every residents' committee (last three digits 001-199) and
// villagers' committee (200-399); other village-level units (400+: development zones, virtual
// areas) get none.
DemoCounty Synthesize(std::span<const domain::Division> divisions, const SynthOptions& options);

// How a place is written in 籍贯: "河北省" -> "河北", "广西壮族自治区" -> "广西", "阜平县" ->
// "阜平", while a one-character name keeps its suffix ("唐县", "易县").
std::string PlaceShortName(std::string_view division_name);

// The GB 11643-1999 check character ('0'-'9' or 'X') of the first 17 digits of an ID number.
char IdCheckCharacter(std::string_view first17);

}  // namespace qiangji::engines::demo
