#pragma once
// The centre's records as plain structs: people and their personalised plans, carers,
// devices and operator accounts. No I/O here; the store loads and saves them.

#include "centre/alarm_types.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace lantern {

struct availability_window {
  std::vector<std::string> days;  // "mon".."sun"
  std::string from;               // "HH:MM" in the carer's time zone
  std::string to;                 // "HH:MM"; "24:00" is end of day; to < from wraps midnight
};

struct carer {
  std::string id;
  std::string name;
  std::string relationship;
  std::string phone;
  std::string email;
  std::vector<std::string> languages;
  std::string time_zone;                          // IANA name, e.g. "Europe/London"
  std::vector<availability_window> availability;  // empty: always available
};

struct plan_rule {
  alarm_type type;
  std::optional<priority> priority_override;
  std::string instructions;
  // Escalate to the carers by itself when no operator has accepted within this long.
  std::optional<int> escalate_after_s;
  // What a carer's page shows for this type; `instructions` are the operator's and stay
  // on the console ("send a responder; call 999" is not for a daughter on her way).
  std::string carer_instructions{};
};

struct escalation_policy {
  int ack_timeout_s = 600;
  int passes = 2;
};

// Who last reviewed a plan with the person, when, and what they noted.
struct plan_review {
  std::int64_t at_ms = 0;  // 0: never reviewed in Lantern
  std::string by;          // username
  std::string note;
};

struct plan {
  std::string coordinator;
  std::string review_due;  // ISO date
  plan_review last_review;
  std::vector<std::string> responders;  // carer ids, in calling order
  // What anyone going in must know first: "dog in the kitchen", "oxygen in use".
  std::vector<std::string> hazards;
  std::vector<plan_rule> rules;
  escalation_policy escalation;

  const plan_rule* rule_for(alarm_type type) const {
    for (const auto& r : rules)
      if (r.type == type) return &r;
    return nullptr;
  }
};

// A zone of a DC-09 unit that is a particular sensor: a fall detector in the bedroom, say.
struct dc09_zone {
  std::string zone;  // as a number without leading zeros: "3" matches a unit's "003"
  alarm_type type = alarm_type::pendant;
  std::string location;
};

// How a unit that reports over SIA DC-09 (a panel, a hub, an IP communicator) is known.
struct dc09_unit {
  std::string account;   // 3-16 hex digits, upper case; unique among DC-09 devices
  std::string receiver;  // hex; empty: any, else a frame must name this receiver
  std::string line;      // hex; empty: any
  // A secret that must stay readable (it decrypts), so kept as typed: the standard's hex
  // form, or the raw characters when key_ascii. Empty: the unit sends in clear.
  std::string key;
  bool key_ascii = false;
  std::vector<dc09_zone> zones;
};

struct device_record {
  std::string id;
  std::string person_id;
  std::string kind;        // pendant, fall_detector, smoke_detector, ...
  std::string token_hash;  // Argon2id; the token itself is never stored. Empty for DC-09 units
  int heartbeat_interval_s = 900;
  std::optional<dc09_unit> dc09{};  // set: the device speaks SIA DC-09, not Lantern's link
  std::string location{};           // where in the home: "bedroom", "front door"
};

struct person {
  std::string id;
  std::string name;
  std::string date_of_birth;  // ISO date
  std::string address;
  std::string phone;
  std::string preferred_language;
  std::string communication;
  std::string what_matters;
  std::string medical_notes;
  std::string medications;
  std::string allergies;
  std::string access;  // sensitive: only for the operator handling a case
  std::string gp;
  struct plan plan;
  int version = 1;  // bumped by every change; an open case notes when it differs from its own
};

enum class operator_role { operator_, supervisor, admin };
std::string_view to_string(operator_role role);
std::optional<operator_role> parse_operator_role(std::string_view text);

struct operator_account {
  std::string username;
  std::string display_name;
  operator_role role = operator_role::operator_;
  std::vector<std::string> languages;
  std::string password_hash;  // Argon2id
  // Accepting a case sets them "on a call" (no new offers); their last case done, back to
  // what they were. Off for someone who would rather set it by hand.
  bool auto_presence = true;
};

// A standard note an operator inserts and then edits: for some alarm types (none: any) and,
// for a resolution, one outcome ("" : any note).
struct canned_note {
  std::string text;
  std::vector<alarm_type> types;
  std::string outcome;
};

// The centre itself, one record kept by admins: its name and phone (on carers' pages), the
// language most people speak (the queue names only others), its time zone, what to do for an
// alarm type when a person's plan says nothing, and the standard notes.
struct centre_settings {
  std::string id = "centre";  // there is one: the admin API's address names it
  std::string name = "Lantern monitoring centre";
  std::string phone;
  std::string default_language = "en-GB";
  std::string time_zone = "Europe/London";
  std::map<alarm_type, std::string> default_instructions;
  std::vector<canned_note> canned_notes;
};

// The kinds of record administrators keep, and one record of any of them.
enum class record_kind { person, carer, device, operator_account, settings };
using any_record = std::variant<person, carer, device_record, operator_account, centre_settings>;
std::string_view to_string(record_kind kind);  // "person", "carer", "device", "operator", "settings"

// Readers' and the writer's lock over live records. Copying a centre gives the copy its own.
class record_lock {
 public:
  record_lock() = default;
  record_lock(const record_lock&) {}
  record_lock& operator=(const record_lock&) { return *this; }
  std::shared_mutex& get() const { return mutex_; }

 private:
  mutable std::shared_mutex mutex_;
};

// Everything a centre file holds, or the store has loaded: lookups by id.
//
// Records change while the server runs (the admin API). The core's strand alone
// changes them, under `lock` held exclusively, and reads them there without it; every
// other thread reads them under `lock` held shared.
struct centre {
  record_lock lock;
  std::unordered_map<std::string, operator_account> operators;
  std::unordered_map<std::string, carer> carers;
  std::unordered_map<std::string, person> persons;
  // Shared, and never changed in place: a connected device's session and its supervision
  // keep the record they started with while an administrator replaces it.
  std::unordered_map<std::string, std::shared_ptr<const device_record>> devices;

  const person* find_person(const std::string& id) const {
    auto it = persons.find(id);
    return it == persons.end() ? nullptr : &it->second;
  }
  const carer* find_carer(const std::string& id) const {
    auto it = carers.find(id);
    return it == carers.end() ? nullptr : &it->second;
  }
  // The operator's name as people see it; the username itself when there is no such account.
  std::string display_name(const std::string& username) const {
    auto it = operators.find(username);
    return it == operators.end() ? username : it->second.display_name;
  }
  std::shared_ptr<const device_record> find_device(const std::string& id) const {
    auto it = devices.find(id);
    return it == devices.end() ? nullptr : it->second;
  }
  // DC-09 account -> device id.
  std::unordered_map<std::string, std::string> dc09_accounts;
  centre_settings settings;
  bool settings_given = false;  // a centre file named them (an import without them keeps the stored ones)

  void add_device(device_record d) {
    auto id = d.id;  // before d is moved
    put_device(id, std::make_shared<const device_record>(std::move(d)));
  }
  // Adds, replaces (`now` set) or removes a device, keeping the account index.
  void put_device(const std::string& id, std::shared_ptr<const device_record> now) {
    if (auto before = find_device(id); before && before->dc09) dc09_accounts.erase(before->dc09->account);
    if (!now) {
      devices.erase(id);
      return;
    }
    if (now->dc09) dc09_accounts[now->dc09->account] = id;
    devices[id] = std::move(now);
  }
  std::shared_ptr<const device_record> find_dc09_account(const std::string& account) const {
    auto it = dc09_accounts.find(account);
    return it == dc09_accounts.end() ? nullptr : find_device(it->second);
  }
};

}  // namespace lantern
