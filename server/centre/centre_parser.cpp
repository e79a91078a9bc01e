// Reads and checks centre files and single records of the admin API: every field, every
// reference, every secret hashed (off the caller's thread, in parallel) once all is well.
#include "centre/centre_parser.hpp"

#include "centre/calendar.hpp"
#include "centre/case_command.hpp"
#include "centre/field_formats.hpp"
#include "centre/secrets.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

namespace lantern {
namespace {

std::string upper(std::string text) {
  for (auto& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return text;
}

constexpr std::size_t min_password_length = 12;
constexpr std::size_t min_token_length = 16;
constexpr std::size_t max_canned_notes = 100;
const std::set<std::string> week_days{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// How a record reaches the parser: in a centre file, or alone through the admin API.
enum class record_source { centre_file, api_create, api_update };

class centre_parser {
 public:
  centre_parser(const centre& existing, centre_file_result& out, record_source source = record_source::centre_file)
      : existing_(existing), out_(out), errors_(out.errors), source_(source) {}

  void read(const boost::json::value& root) {
    json_reader file(&root, "", errors_);
    if (!file.ok()) return;
    if (auto format = file.text("format", true); !format.empty() && format != centre_file_format)
      file.fail("format", "must be \"" + std::string(centre_file_format) + "\"");
    file.each("operators", false, [&](json_reader& r) { read_operator(r); });
    file.each("carers", false, [&](json_reader& r) { read_carer(r); });
    file.each("persons", false, [&](json_reader& r) { read_person(r); });
    const auto& top = root.as_object();
    if (top.contains("centre") || top.contains("default_instructions") || top.contains("canned_notes")) {
      out_.records.settings_given = true;
      auto about = file.object("centre", false);
      if (about.ok()) {
        read_about_centre(about, out_.records.settings);
        about.reject_unknown_keys();
      }
      read_centre_defaults(file, out_.records.settings);
    }
    file.reject_unknown_keys();
    check_responder_references();
    check_dc09_accounts();
  }

  // One record of the admin API: the body is the record itself.
  void read_one(record_kind kind, const boost::json::value& body) {
    json_reader r(&body, "", errors_);
    if (!r.ok()) return;
    switch (kind) {
      case record_kind::person:
        read_person(r);
        break;
      case record_kind::carer:
        read_carer(r);
        break;
      case record_kind::device:
        read_device(r, {});
        break;
      case record_kind::operator_account:
        read_operator(r);
        break;
      case record_kind::settings:
        if (auto id = r.text("id", false, 20); !id.empty() && id != "centre") r.fail("id", "must be 'centre'");
        read_about_centre(r, out_.records.settings);
        read_centre_defaults(r, out_.records.settings);
        r.reject_unknown_keys();
        out_.records.settings_given = true;
        break;
    }
    check_responder_references();
    check_dc09_accounts();
  }

  // Only once everything is valid: hashing is slow, and a bad file must change nothing.
  void hash_secrets() {
    for (auto& [name, account] : out_.records.operators)
      if (!prehashed_.contains("operator:" + name)) account.password_hash = hash_password(account.password_hash);
    // Every core takes a share: a fleet of 100,000 tokens is minutes of Argon2id on one.
    std::vector<std::string*> tokens;
    for (auto& [id, dev] : devices_)
      if (!dev.dc09 && !prehashed_.contains("device:" + id)) tokens.push_back(&dev.token_hash);
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto hash_some = [&] {
      try {
        for (auto i = next++; i < tokens.size(); i = next++) *tokens[i] = hash_device_token(*tokens[i]);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        failure = std::current_exception();
        next = tokens.size();
      }
    };
    {
      auto cores = std::max(1u, std::thread::hardware_concurrency());
      std::vector<std::jthread> helpers(std::min<std::size_t>(tokens.size() / 64, cores - 1));
      for (auto& helper : helpers) helper = std::jthread(hash_some);
      hash_some();
    }
    if (failure) std::rethrow_exception(failure);
    move_devices_out();
  }

  // Devices become the centre's shared, unchanging records once their tokens are hashed.
  void move_devices_out() {
    for (auto& [_, dev] : devices_) out_.records.add_device(std::move(dev));
    devices_.clear();
  }

 private:
  std::string read_id(json_reader& r, const char* key, std::set<std::string>& seen) {
    auto id = r.text(key, true, 64);
    if (id.empty()) return id;
    if (!is_record_id(id))
      r.fail(key, "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    else if (!seen.insert(id).second)
      r.fail(key, "'" + id + "' is used twice in this file");
    r.set_label(id);
    return id;
  }

  // A password or token in plain text; in a centre file written by an export, its Argon2id
  // hash instead (`<key>_hash`), so that the file imports back to the same centre. An
  // update through the API may leave it out: the stored hash stays.
  std::string read_secret(json_reader& r, const std::string& key, std::size_t min_length, const std::string& owner) {
    auto hash_key = key + "_hash";
    bool from_file = source_ == record_source::centre_file;
    auto hash = from_file ? r.text(hash_key.c_str(), false, 1000) : std::string();
    auto plain = r.text(key.c_str(), source_ == record_source::api_create, 1000);
    if (!hash.empty()) {
      if (!plain.empty()) r.fail(key.c_str(), "give " + key + " or " + hash_key + ", not both");
      if (!hash.starts_with("$argon2id$")) r.fail(hash_key.c_str(), "must be an Argon2id hash ($argon2id$...)");
      prehashed_.insert(owner);
      return hash;
    }
    if (from_file && plain.empty()) r.fail(key.c_str(), "is required (or " + hash_key + ")");
    if (!plain.empty() && plain.size() < min_length)
      r.fail(key.c_str(), "must be at least " + std::to_string(min_length) + " characters");
    return plain;
  }

  std::vector<std::string> read_languages(json_reader& r) {
    auto tags = r.texts("languages", 20);
    for (const auto& tag : tags)
      if (!is_language_tag(tag)) r.fail("languages", "'" + tag + "' is not a language tag like en-GB or cy");
    return tags;
  }

  void read_phone(json_reader& r, std::string& target, bool required) {
    target = r.text("phone", required, 20);
    if (!target.empty() && !is_phone_number(target))
      r.fail("phone", "'" + target + "' must be in international form, e.g. +447700900123");
  }

  void read_operator(json_reader& r) {
    operator_account account;
    account.username = read_id(r, "username", operator_ids_);
    account.display_name = r.text("display_name", true, 200);
    auto role = r.text("role", true, 20);
    if (auto parsed = parse_operator_role(role))
      account.role = *parsed;
    else if (!role.empty())
      r.fail("role", "'" + role + "' must be one of operator, supervisor, admin");
    account.languages = read_languages(r);
    account.auto_presence = r.flag("auto_presence", true);
    // Held in plain text only until hash_secrets() runs.
    account.password_hash = read_secret(r, "password", min_password_length, "operator:" + account.username);
    r.reject_unknown_keys();
    out_.records.operators[account.username] = std::move(account);
  }

  void read_carer(json_reader& r) {
    carer c;
    c.id = read_id(r, "id", carer_ids_);
    c.name = r.text("name", true, 200);
    c.relationship = r.text("relationship", false, 100);
    read_phone(r, c.phone, true);
    c.email = r.text("email", false, 254);
    if (!c.email.empty() && c.email.find('@') == std::string::npos)
      r.fail("email", "'" + c.email + "' is not an email address");
    c.languages = read_languages(r);
    c.time_zone = r.text("time_zone", true, 64);
    if (!c.time_zone.empty() && !is_time_zone(c.time_zone))
      r.fail("time_zone", "'" + c.time_zone + "' is not an IANA time zone like Europe/London");
    r.each("availability", false, [&](json_reader& w) { c.availability.push_back(read_window(w)); });
    r.reject_unknown_keys();
    out_.records.carers[c.id] = std::move(c);
  }

  // The centre's name, phone, default language and time zone.
  void read_about_centre(json_reader& r, centre_settings& s) {
    s.name = r.text("name", true, 200);
    read_phone(r, s.phone, false);
    s.default_language = r.text("default_language", false, 35);
    if (s.default_language.empty()) s.default_language = "en-GB";
    if (!is_language_tag(s.default_language))
      r.fail("default_language", "'" + s.default_language + "' is not a language tag like en-GB or cy");
    s.time_zone = r.text("time_zone", false, 64);
    if (s.time_zone.empty()) s.time_zone = "Europe/London";
    if (!is_time_zone(s.time_zone))
      r.fail("time_zone", "'" + s.time_zone + "' is not an IANA time zone like Europe/London");
  }

  // What to do per alarm type when a plan says nothing, and the standard notes.
  void read_centre_defaults(json_reader& r, centre_settings& s) {
    for (auto& [type_name, text] : r.text_map("default_instructions", alarm_type_count, 2000)) {
      auto type = parse_alarm_type(type_name);
      if (!type || !opens_case(*type))
        r.fail("default_instructions", "'" + type_name + "' is not an alarm type that opens a case");
      else if (!text.empty())
        s.default_instructions[*type] = std::move(text);
    }
    std::size_t notes = 0;
    r.each("canned_notes", false, [&](json_reader& n) {
      if (++notes > max_canned_notes) {
        n.fail("text", "at most " + std::to_string(max_canned_notes) + " standard notes");
        return;
      }
      canned_note note;
      note.text = n.text("text", true, 500);
      for (const auto& name : n.texts("types", alarm_type_count, 30)) {
        if (auto type = parse_alarm_type(name))
          note.types.push_back(*type);
        else
          n.fail("types", "'" + name + "' is not an alarm type");
      }
      note.outcome = n.text("outcome", false, 40);
      if (!note.outcome.empty() && !label_of(outcome_codes(), note.outcome))
        n.fail("outcome", "'" + note.outcome + "' is not an outcome code");
      n.reject_unknown_keys();
      s.canned_notes.push_back(std::move(note));
    });
  }

  availability_window read_window(json_reader& r) {
    availability_window w;
    w.days = r.texts("days", 7);
    if (w.days.empty()) r.fail("days", "must name at least one day");
    for (const auto& d : w.days)
      if (!week_days.contains(d)) r.fail("days", "'" + d + "' must be one of mon, tue, wed, thu, fri, sat, sun");
    w.from = r.text("from", true, 5);
    w.to = r.text("to", true, 5);
    if (!w.from.empty() && !is_clock_time(w.from, false)) r.fail("from", "must be a time HH:MM from 00:00 to 23:59");
    if (!w.to.empty() && !is_clock_time(w.to, true)) r.fail("to", "must be a time HH:MM from 00:00 to 24:00");
    r.reject_unknown_keys();
    return w;
  }

  void read_person(json_reader& r) {
    person p;
    p.id = read_id(r, "id", person_ids_);
    p.name = r.text("name", true, 200);
    p.date_of_birth = r.text("date_of_birth", true, 10);
    if (!p.date_of_birth.empty()) {
      auto born = parse_iso_date(p.date_of_birth);
      if (!born || age_on(p.date_of_birth, now_ms()) > 130 || p.date_of_birth > iso_date_of(now_ms()))
        r.fail("date_of_birth", "'" + p.date_of_birth + "' must be a past date YYYY-MM-DD");
    }
    p.address = r.text("address", true, 500);
    read_phone(r, p.phone, false);
    p.preferred_language = r.text("preferred_language", true, 35);
    if (!p.preferred_language.empty() && !is_language_tag(p.preferred_language))
      r.fail("preferred_language", "'" + p.preferred_language + "' is not a language tag like en-GB or cy");
    p.communication = r.text("communication", false);
    p.what_matters = r.text("what_matters", false);
    p.medical_notes = r.text("medical_notes", false, 5000);
    p.medications = r.text("medications", false);
    p.allergies = r.text("allergies", false);
    p.access = r.text("access", false);
    p.gp = r.text("gp", false, 500);
    auto plan_reader = r.object("plan", true);
    if (plan_reader.ok()) p.plan = read_plan(plan_reader);
    if (source_ == record_source::centre_file) r.each("devices", false, [&](json_reader& d) { read_device(d, p.id); });
    r.reject_unknown_keys();
    responder_refs_.push_back({plan_reader.path(), p.plan.responders});
    out_.records.persons[p.id] = std::move(p);
  }

  plan read_plan(json_reader& r) {
    plan pl;
    pl.coordinator = r.text("coordinator", false, 500);
    pl.review_due = r.text("review_due", true, 10);
    if (!pl.review_due.empty() && !parse_iso_date(pl.review_due))
      r.fail("review_due", "'" + pl.review_due + "' must be a date YYYY-MM-DD");
    pl.responders = r.texts("responders", 20);
    std::set<std::string> unique(pl.responders.begin(), pl.responders.end());
    if (unique.size() != pl.responders.size()) r.fail("responders", "names a carer more than once");
    pl.hazards = r.texts("hazards", 20, 300);
    std::set<alarm_type> ruled;
    r.each("rules", false, [&](json_reader& rr) {
      if (auto rule = read_rule(rr)) {
        if (!ruled.insert(rule->type).second)
          rr.fail("type", "a rule for '" + std::string(to_string(rule->type)) + "' is given twice");
        pl.rules.push_back(std::move(*rule));
      }
    });
    auto esc = r.object("escalation", false);
    pl.escalation.ack_timeout_s = esc.integer("ack_timeout_s", 30, 3600, 600);
    pl.escalation.passes = esc.integer("passes", 1, 10, 2);
    esc.reject_unknown_keys();
    r.reject_unknown_keys();
    return pl;
  }

  std::optional<plan_rule> read_rule(json_reader& r) {
    auto type_text = r.text("type", true, 30);
    auto priority_text = r.text("priority", false, 10);
    auto instructions = r.text("instructions", false);
    auto carer_instructions = r.text("carer_instructions", false);
    std::optional<int> escalate_after_s;
    if (int after = r.integer("escalate_after_s", 10, 3600, 0)) escalate_after_s = after;
    r.reject_unknown_keys();
    auto type = parse_alarm_type(type_text);
    if (!type) {
      if (!type_text.empty()) r.fail("type", "'" + type_text + "' is not an alarm type");
      return std::nullopt;
    }
    plan_rule rule{*type, std::nullopt, instructions, escalate_after_s, carer_instructions};
    if (!priority_text.empty()) {
      rule.priority_override = parse_priority(priority_text);
      if (!rule.priority_override)
        r.fail("priority", "'" + priority_text + "' must be one of critical, high, normal, low");
      else if (is_life_safety(*type) && *rule.priority_override > priority::high)
        r.fail("priority", "'" + type_text + "' is a life-safety alarm: it may be raised, never lowered below high");
    }
    return rule;
  }

  void read_device(json_reader& r, const std::string& person_id) {
    device_record d;
    d.id = read_id(r, "id", device_ids_);
    d.person_id = person_id;
    if (source_ != record_source::centre_file) {
      d.person_id = r.text("person_id", true, 64);
      if (!d.person_id.empty() && !existing_.persons.contains(d.person_id))
        r.fail("person_id", "'" + d.person_id + "' is not a person of the centre");
    }
    d.kind = r.text("kind", true, 40);
    d.location = r.text("location", false, 100);
    auto protocol = r.text("protocol", false, 20);
    if (protocol == "dc09") {
      d.dc09 = read_dc09(r, d.id);
      if (!r.text("token", false, 1000).empty() || !r.text("token_hash", false, 1000).empty())
        r.fail("token", "is not used by a DC-09 unit: it is known by its account (and key)");
    } else {
      if (!protocol.empty() && protocol != "lantern")
        r.fail("protocol", "'" + protocol + "' must be lantern (Lantern's own link) or dc09 (SIA DC-09)");
      d.token_hash = read_secret(r, "token", min_token_length, "device:" + d.id);  // plain until hash_secrets()
    }
    d.heartbeat_interval_s = r.integer("heartbeat_interval_s", 10, 86400, 900);
    r.reject_unknown_keys();
    devices_[d.id] = std::move(d);
  }

  dc09_unit read_dc09(json_reader& r, const std::string& device_id) {
    dc09_unit unit;
    unit.account = upper(r.text("account", true, 16));
    if (!unit.account.empty() && !is_hex(unit.account, 3, 16))
      r.fail("account", "'" + unit.account + "' must be 3 to 16 hex digits, as the unit sends after '#'");
    else if (!unit.account.empty())
      dc09_accounts_.emplace_back(r.path() + ".account", unit.account, device_id);
    unit.receiver = upper(r.text("receiver", false, 6));
    if (!unit.receiver.empty() && !is_hex(unit.receiver, 1, 6)) r.fail("receiver", "must be 1 to 6 hex digits");
    unit.line = upper(r.text("line", false, 6));
    if (!unit.line.empty() && !is_hex(unit.line, 1, 6)) r.fail("line", "must be 1 to 6 hex digits");
    auto hex_key = r.text("key", false, 64);
    auto ascii_key = r.text("key_ascii", false, 32);
    if (!hex_key.empty() && !ascii_key.empty()) r.fail("key", "give key (hex) or key_ascii, not both");
    unit.key_ascii = !ascii_key.empty();
    unit.key = unit.key_ascii ? ascii_key : hex_key;
    if (auto problem = dc09_key_problem(unit.key, unit.key_ascii); !unit.key.empty() && !problem.empty())
      r.fail(unit.key_ascii ? "key_ascii" : "key", problem);
    std::set<std::string> zones;
    r.each("zones", false, [&](json_reader& z) {
      auto errors_before = errors_.size();
      int number = z.integer("zone", 0, 9999, -1);
      if (number < 0 && errors_.size() == errors_before) z.fail("zone", "is required: the zone's number");
      auto type_text = z.text("type", true, 40);
      auto type = parse_alarm_type(type_text);
      if (!type && !type_text.empty()) z.fail("type", "'" + type_text + "' is not an alarm type");
      auto location = z.text("location", false, 100);
      z.reject_unknown_keys();
      if (number >= 0 && !zones.insert(std::to_string(number)).second)
        z.fail("zone", "zone " + std::to_string(number) + " is listed twice");
      if (number >= 0 && type) unit.zones.push_back({std::to_string(number), *type, location});
    });
    return unit;
  }

  // An account names one unit: among the file's devices, and the centre's other ones.
  void check_dc09_accounts() {
    std::map<std::string, std::string> seen;
    for (const auto& [path, account, device_id] : dc09_accounts_) {
      if (auto [it, fresh] = seen.emplace(account, device_id); !fresh) {
        errors_.push_back({path, "'" + account + "' is also device " + it->second + "'s account"});
        continue;
      }
      auto other = existing_.dc09_accounts.find(account);
      if (other != existing_.dc09_accounts.end() && other->second != device_id && !device_ids_.contains(other->second))
        errors_.push_back({path, "'" + account + "' is already device " + other->second + "'s account"});
    }
  }

  void check_responder_references() {
    for (const auto& [path, responders] : responder_refs_)
      for (const auto& id : responders)
        if (!out_.records.carers.contains(id) && !existing_.carers.contains(id))
          errors_.push_back(
              {path + ".responders",
               "'" + id + "' is not a carer " +
                   (source_ == record_source::centre_file ? "in this file or the centre" : "of the centre")});
  }

  const centre& existing_;
  centre_file_result& out_;
  std::vector<field_error>& errors_;
  record_source source_;
  std::set<std::string> prehashed_;
  std::map<std::string, device_record>
      devices_;  // until hash_secrets()  // "operator:<name>", "device:<id>": hashes from an export
  std::set<std::string> operator_ids_, carer_ids_, person_ids_, device_ids_;
  std::vector<std::pair<std::string, std::vector<std::string>>> responder_refs_;
  std::vector<std::tuple<std::string, std::string, std::string>> dc09_accounts_;  // path, account, device id
};

}  // namespace

centre_file_result parse_centre_file(std::string_view json_text, const centre& existing) {
  centre_file_result result;
  boost::system::error_code ec;
  auto root = boost::json::parse(json_text, ec);
  if (ec) {
    result.errors.push_back({"(file)", "is not valid JSON: " + ec.message()});
    return result;
  }
  centre_parser parser(existing, result);
  parser.read(root);
  if (result.ok()) parser.hash_secrets();
  return result;
}

record_body parse_record_body(record_kind kind, const boost::json::value& body, const centre& existing, bool updating) {
  centre_file_result parsed;
  centre_parser parser(existing, parsed, updating ? record_source::api_update : record_source::api_create);
  parser.read_one(kind, body);
  parser.move_devices_out();
  record_body out{person{}, std::move(parsed.errors)};
  auto& r = parsed.records;
  if (!r.persons.empty()) out.record = std::move(r.persons.begin()->second);
  if (!r.carers.empty()) out.record = std::move(r.carers.begin()->second);
  if (!r.devices.empty()) out.record = *r.devices.begin()->second;
  if (!r.operators.empty()) out.record = std::move(r.operators.begin()->second);
  if (kind == record_kind::settings) out.record = std::move(r.settings);
  return out;
}

}  // namespace lantern
