#include "server.hpp"

#include "privileges.hpp"
#include "protobuf_log.hpp"
#include "server_log.hpp"

#include "centre/calendar.hpp"
#include "centre/centre_file.hpp"
#include "core/desk_core.hpp"
#include "core/unit_signals.hpp"
#include "desk/escalation_chain.hpp"
#include "device/dc09_receiver.hpp"
#include "device/device_gateway.hpp"
#include "escalation/courier.hpp"
#include "escalation/escalation_driver.hpp"
#include "listener/tls_context.hpp"
#include "listener/waiting_room.hpp"
#include "store/case_store.hpp"
#include "store/centre_store.hpp"
#include "store/database.hpp"
#include "store/database_lock.hpp"
#include "store/journal.hpp"
#include "store/session_store.hpp"
#include "store/sqlite_record_reader.hpp"
#include "store/sync_advice.hpp"
#include "supervision/supervisor.hpp"
#include "web/http_routes.hpp"
#include "web/metrics_server.hpp"
#include "web/web_server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <latch>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include <pthread.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

namespace lantern {
namespace {

// A pool whose threads are named (for `top -H` and `perf`): a task a thread, each held until
// all have started, so no thread takes two. The latch is shared: a task may still be leaving
// arrive_and_wait when the constructor returns.
class named_pool : public net::thread_pool {
 public:
  named_pool(unsigned threads, const char* name) : net::thread_pool(threads) {
    auto started = std::make_shared<std::latch>(threads);
    for (unsigned i = 0; i < threads; ++i)
      net::post(*this, [started, name] {
        pthread_setname_np(pthread_self(), name);
        started->arrive_and_wait();
      });
    started->wait();
  }
};

// Returns false (and says why) when the file has any error: then nothing is imported.
bool import_centre_file(SQLite::Database& db, const std::string& path, spdlog::logger& log) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    log.error("cannot read centre file {}", path);
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = parse_centre_file(text.str(), load_centre(db));
  if (!parsed.ok()) {
    for (const auto& e : parsed.errors) log.error("{}: {} {}", path, e.field, e.message);
    log.error("{}: {} error(s); nothing was imported", path, parsed.errors.size());
    return false;
  }
  save_centre(db, parsed.records, "import:" + path);
  log.info("imported {}: {} operators, {} carers, {} persons, {} devices", path, parsed.records.operators.size(),
           parsed.records.carers.size(), parsed.records.persons.size(), parsed.records.devices.size());
  return true;
}

// Who hears of records an administrator changed: supervision of the devices added,
// changed or deactivated, and the login sessions of an operator whose access ended.
class record_watchers final : public desk_subscriber {
 public:
  record_watchers(supervisor& devices, login_sessions& logins, unit_signals& signals, spdlog::logger& log)
      : devices_(devices), logins_(logins), signals_(signals), log_(log) {}
  void record_changed(const record_update& update) override {
    if (update.kind != record_kind::device) return;
    std::shared_ptr<const device_record> now;
    if (update.now) now = std::make_shared<const device_record>(std::get<device_record>(*update.now));
    if (now && now->dc09) signals_.forget(now->dc09->account);  // allocated at last
    devices_.device_changed(update.id, std::move(now));
  }
  void access_ended(const std::string& username) override {
    log_.info("every login of '{}' ended (deactivated, new password or new role): {}", username,
              logins_.end_all(username));
  }

 private:
  supervisor& devices_;
  login_sessions& logins_;
  unit_signals& signals_;
  spdlog::logger& log_;
};

// The device limits, lowered if need be to what this process may open: consoles, the
// database and carers' links need descriptors too (at least 256, or 5%), so devices may
// not take them all.
admission_limits fit_to_open_files(admission_limits limits, spdlog::logger& log) {
  auto open_files = raise_open_file_limit();
  auto reserve = std::max<std::size_t>(256, open_files / 20);
  if (open_files > reserve && limits.max_connections > open_files - reserve) {
    limits.max_connections = open_files - reserve;
    log.warn("device connections limited to {} by this process's open-file limit ({}); raise it (ulimit -n) for more",
             limits.max_connections, open_files);
  }
  return limits;
}

// The names the console port answers to: loopback, the address it is bound to, and the
// host of the public URL carers' links use. A DNS-rebinding page's name is none of them.
std::vector<std::string> allowed_hosts(const server_options& options) {
  std::vector<std::string> hosts{"localhost", "127.0.0.1", "[::1]"};
  auto bound = net::ip::make_address(options.bind);
  if (!bound.is_unspecified()) hosts.push_back(bound.is_v6() ? "[" + bound.to_string() + "]" : bound.to_string());
  std::string_view url = options.escalation.public_url;
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    auto authority = url.substr(scheme + 3);
    if (auto name = host_name(authority.substr(0, authority.find('/'))); !name.empty()) hosts.push_back(name);
  }
  return hosts;
}

}  // namespace

int run_server(const server_options& options) {
  // A file-size limit reached is a failed write (the journal nacks and /healthz says so),
  // not the end of the process.
  std::signal(SIGXFSZ, SIG_IGN);
  // A peer gone while we write is that link's failed write. Asio sends with MSG_NOSIGNAL, but
  // OpenSSL on a device link's socket writes with plain write().
  std::signal(SIGPIPE, SIG_IGN);
  // Start, ports and stop are always logged: scripts and people read the ports from there.
  auto log =
      make_logger("server", options.log_level == "warn" || options.log_level == "error" ? "info" : options.log_level,
                  options.log_format);
  auto device_log = make_logger("device", options.log_level, options.log_format);
  auto web_log = make_logger("console", options.log_level, options.log_format);
  auto store_log = make_logger("store", options.log_level, options.log_format);
  route_protobuf_log(make_logger("protobuf", options.log_level, options.log_format));
  // The key is read while the server may still read what only root can.
  std::unique_ptr<tls_certificate> tls;         // the console port's
  std::unique_ptr<tls_certificate> device_tls;  // the device port's: the same certificate, its own client CA
  if (!options.tls_cert.empty()) {
    try {
      tls = std::make_unique<tls_certificate>(options.tls_cert, options.tls_key);
      device_tls = std::make_unique<tls_certificate>(options.tls_cert, options.tls_key, options.device_tls_client_ca);
    } catch (const std::exception& e) {
      log->critical("cannot start: {}", e.what());
      return 1;
    }
  }
  // Before anything is opened: the lock file, the database and its WAL are then the user's.
  if (!options.user.empty()) {
    if (auto why = become_user(options.user)) {
      log->critical("cannot start: {}", *why);
      return 1;
    }
    log->info("running as user {} (uid {}); binding ports below 1024 is the one right kept until they listen",
              options.user, getuid());
  } else if (running_as_root()) {
    log->warn(
        "running as root: start with --user NAME (the package's unit runs as the lantern user) so that a "
        "flaw in the server is not a flaw with root's rights");
  }

  std::optional<database_lock> one_server;
  try {
    one_server.emplace(options.db_path);
  } catch (const std::exception& e) {
    log->critical("cannot start: {}", e.what());
    return 1;
  }
  centre records;
  desk_restore_point restore_point;
  std::vector<std::pair<std::string, std::int64_t>> last_seen;  // for supervision's start
  try {
    auto db = open_database(options.db_path);
    migrate(*db);
    if (!options.import_file.empty() && !import_centre_file(*db, options.import_file, *log)) return 2;
    if (options.import_only) return 0;
    records = load_centre(*db);
    last_seen = load_last_seen(*db);
    auto now = now_ms();
    restore_point = load_desk_restore_point(*db, now - options.desk.reopen_window_ms, now - answer_history_ms);
  } catch (const std::exception& e) {
    log->critical("cannot open the database {}: {}", options.db_path, e.what());
    return 1;
  }
  log->info("centre loaded: {} persons, {} devices, {} operators; {} open or reopenable cases", records.persons.size(),
            records.devices.size(), records.operators.size(), restore_point.cases.size());
  if (records.operators.empty()) log->warn("no operator accounts: import a centre file with --import FILE");
  if (auto advice = sync_advice_for(options.db_path); !advice.empty()) log->warn("{}", advice);

  auto admission = fit_to_open_files(options.admission, *log);
  metrics figures;
  // One core is left to the journal writer: with as many I/O threads as cores, a burst
  // preempts the core in the middle of a fan-out (measured: console p99 at 200 consoles
  // 52-86 ms with 2 I/O threads on 2 cores, 25-32 ms with 1).
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  unsigned threads = options.threads ? options.threads : std::max(1u, cores - 1);
  // Argon2id checks are slow on purpose: they run off the I/O threads. Devices get a thread
  // per core (after a restart every device needs one check, ~10 ms each, and the scheduler
  // still gives the I/O thread its share); staff logins, carers' links and the welfare
  // query have their own, so an operator never queues behind a fleet's logins.
  named_pool verifiers(cores, "verify");
  // Two threads each: one slow request never holds up the next. Logins apart, so a flood
  // of guesses never slows the records, the welfare list or a carer opening a link.
  named_pool staff_work(2, "staff-work");
  named_pool login_work(2, "login");
  login_throttle login_attempts;
  waiting_room http_waiting({options.max_http_waiting, options.max_http_per_source});
  journal store(options.db_path, figures, store_log, options.journal_batch);
  store.keep_timeline(options.journal_timeline);
  device_authenticator authenticator;
  session_store saved_logins(options.db_path);
  sqlite_record_reader stored_records(options.db_path);
  login_sessions logins(&saved_logins);
  console_files console_pages(options.console_dir, std::filesystem::absolute(options.db_path).parent_path());
  for (const auto& why : console_pages.skipped()) web_log->warn("console file not served: {}", why);
  if (console_pages.find("/") == nullptr)
    web_log->error("no index.html in the console folder {}: browsers get 404", options.console_dir);

  // Declared before the io_context so they outlive it: sessions still queued in it when it
  // is destroyed read their context (metrics, names) as they go.
  std::optional<gateway_context> device_context;
  std::optional<web_context> console_context;
  std::optional<dc09_context> unit_context;
  net::io_context io(static_cast<int>(threads));
  // The desk on a thread of its own: applying a commit's alarms, the tick and the consoles'
  // updates never hold the device I/O thread's reads and acks, and the other way round.
  net::io_context desk_context(1);
  auto desk_kept = net::make_work_guard(desk_context);
  // Held until the core has saved and the journal stopped (save_and_then stops io): once the
  // listeners stop at a signal, io may have nothing left to do, and its run() returning
  // early would stop the desk's context before the save posted to it ran.
  auto io_kept = net::make_work_guard(io);
  carer_links links;
  desk_core core(desk_context.get_executor(), records, store, figures, web_log, options.desk);
  console_fanout consoles(core, options.console_queue_mib * 1024 * 1024);
  carer_pages carer_views(core);
  // Declared after the core: its threads stop (and stop asking the core) before the core goes.
  courier couriers(
      options.escalation,
      [&core](case_command step, std::function<void(const command_answer&)> answered) {
        core.command({system_actor, std::move(step), std::move(answered)});
      },
      make_logger("escalation", options.log_level, options.log_format));
  escalation_driver escalation(records, links, figures, [&couriers](notification n) { couriers.send(std::move(n)); });
  supervisor devices_watch(io.get_executor(), records, store, figures,
                           make_logger("supervision", options.log_level, options.log_format), options.supervision,
                           [&core](const supervision_event& e, std::string note) {
                             core.device_returned(e.device->person_id, e.device->id, std::move(note));
                           });
  unit_signals unit_notes;
  record_watchers watchers(devices_watch, logins, unit_notes, *log);
  // In this order on every change: consoles first (an operator sees it soonest).
  core.subscribe(consoles);
  core.subscribe(escalation);
  core.subscribe(carer_views);
  core.subscribe(watchers);

  std::unique_ptr<device_gateway> devices;
  std::unique_ptr<dc09_receiver> units;
  std::unique_ptr<web_server> web;
  std::unique_ptr<metrics_server> scrapes;
  try {
    core.restore(std::move(restore_point));
    store.start([&core](std::vector<desk_event> events) { core.events_committed(std::move(events)); });
    auto address = net::ip::make_address(options.bind);
    // In place: the context holds the gateway's atomic counters.
    device_context.emplace(
        records, store, figures, authenticator, verifiers.get_executor(), device_log,
        std::chrono::seconds(options.hello_timeout_s), 256,
        [&devices_watch](const std::string& id, int battery) { devices_watch.heard(id, battery); }, admission);
    console_context.emplace(web_context{
        records, logins, login_attempts, http_waiting, core, consoles, carer_views, figures, links, console_pages,
        staff_work.get_executor(), login_work.get_executor(), web_log, options.console_queue_limit,
        options.console_queue_mib * 1024 * 1024, stored_records, allowed_hosts(options),
        [&devices_watch](const std::string& id) { return devices_watch.health_of(id); }, unit_notes});
    console_context->tls = tls.get();
    device_context->tls = device_tls.get();
    if (tls) figures.tls_certificate_expiry_seconds.Set(static_cast<double>(tls->expiry_s()));
    devices = std::make_unique<device_gateway>(io.get_executor(), *device_context,
                                               net::ip::tcp::endpoint(address, options.device_port));
    if (options.dc09_port) {
      unit_context.emplace(
          records, store, figures, unit_notes, make_logger("dc09", options.log_level, options.log_format),
          [&devices_watch](const std::string& id) { devices_watch.heard(id, -1); }, options.dc09);
      units = std::make_unique<dc09_receiver>(io.get_executor(), *unit_context, address, *options.dc09_port);
    }
    web = std::make_unique<web_server>(io.get_executor(), *console_context,
                                       net::ip::tcp::endpoint(address, options.http_port));
    scrapes = std::make_unique<metrics_server>(
        io.get_executor(), figures,
        net::ip::tcp::endpoint(net::ip::make_address(options.metrics_address), options.metrics_port), web_log);
  } catch (const std::exception& e) {
    log->critical(
        "cannot start: {} (a port in use? another lantern-server may be running: stop it, or choose "
        "--device-port and --http-port; 0 picks free ones)",
        e.what());
    store.stop();
    return 1;
  }
  core.start();
  devices_watch.start(last_seen);
  devices->start();
  if (units) units->start();
  web->start();
  scrapes->start();
  if (!options.user.empty())
    if (auto why = drop_remaining_capabilities()) log->error("could not give up binding low ports: {}", *why);
  // SIGHUP: the certificate read again (the files must be readable by --user); new
  // connections get it, open ones keep theirs.
  net::signal_set reloads(io, SIGHUP);
  std::function<void(const boost::system::error_code&, int)> reload = [&](const boost::system::error_code& ec, int) {
    if (ec) return;
    if (tls) {
      auto why = tls->reload();
      if (why.empty()) why = device_tls->reload();
      if (why.empty()) {
        figures.tls_certificate_expiry_seconds.Set(static_cast<double>(tls->expiry_s()));
        log->info("TLS certificate reloaded from {}: it expires {}", tls->cert_file(),
                  iso_date_of(tls->expiry_s() * 1000));
      } else {
        log->error("TLS certificate not reloaded, the one in force stays: {}", why);
      }
    } else {
      log->info("SIGHUP: nothing to reload (no --tls-cert)");
    }
    reloads.async_wait(reload);
  };
  reloads.async_wait(reload);
  net::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log->info("signal {}: stopping; the journal writes what it holds first", signal);
    sd_notify(0, "STOPPING=1");
    reloads.cancel();
    devices->stop();
    if (units) units->stop();
    web->stop();
    scrapes->stop();
    devices_watch.stop();
    core.save_and_then([&] {
      store.stop();
      io.stop();
    });
  });

  // Said only once both signal sets are in place: a SIGTERM sent on reading this line
  // (as a supervisor or a test does) stops the server cleanly, not by the default action.
  log->info("listening device_port={} http_port={} metrics_port={}{} bind={} console={}://{}:{}/", devices->port(),
            web->port(), scrapes->port(), units ? " dc09_port=" + std::to_string(units->port()) : "", options.bind,
            tls ? "https" : "http", options.bind, web->port());
  // Under systemd (Type=notify): serving now, with the desk restored and every port open.
  sd_notifyf(0, "READY=1\nSTATUS=serving: device port %u, console port %u", unsigned(devices->port()),
             unsigned(web->port()));

  // Named, so `top -H` and `perf` say which thread takes the CPU.
  std::thread desk_thread([&desk_context] {
    pthread_setname_np(pthread_self(), "desk");
    desk_context.run();
  });
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i)
    pool.emplace_back([&io] {
      pthread_setname_np(pthread_self(), "io");
      io.run();
    });
  // The main thread keeps the process's name (`ps`, `pgrep` and systemd read it) and is the
  // first I/O thread.
  io.run();
  for (auto& t : pool) t.join();
  // The core saved and the journal stopped (save_and_then) before io stopped.
  desk_kept.reset();
  desk_context.stop();
  desk_thread.join();
  verifiers.join();
  staff_work.join();
  login_work.join();
  if (console_context) console_context->stopped = true;
  log->info("stopped");
  return 0;
}

}  // namespace lantern
