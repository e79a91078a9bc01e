// lantern-sim: drives a Lantern server with simulated devices and reports what it saw.
#include "fleet.hpp"
#include "sim_options.hpp"
#include "sim_stats.hpp"
#include "simulated_device.hpp"
#include "simulated_unit.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>

#include "listener/listener.hpp"

#include <algorithm>
#include <fstream>
#include <thread>

namespace {

using namespace lantern::sim;
using namespace std::chrono_literals;

int make_centre(const sim_options& options) {
  std::ofstream out(options.make_centre_out, std::ios::binary);
  out << make_centre_file(options.make_centre_persons, options.protocol, options.encrypt);
  if (!out) {
    std::fprintf(stderr, "lantern-sim: cannot write %s\n", options.make_centre_out.c_str());
    return 1;
  }
  std::printf("wrote %s: %d persons, one device each\n", options.make_centre_out.c_str(), options.make_centre_persons);
  return 0;
}

int simulate(sim_options options) {
  std::vector<fleet_device> fleet;
  try {
    fleet = load_fleet(options.centre_file, options.protocol);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lantern-sim: %s\n", e.what());
    return 2;
  }
  fleet.erase(fleet.begin(), fleet.begin() + static_cast<std::ptrdiff_t>(std::min(options.skip, fleet.size())));
  if (fleet.empty()) {
    std::fprintf(stderr, "lantern-sim: %s has no %s devices%s\n", options.centre_file.c_str(),
                 options.protocol == "dc09" ? "DC-09" : "Lantern-link",
                 options.skip > 0 ? " after the ones --skip passes over" : "");
    return 2;
  }
  if (options.devices == 0 || options.devices > fleet.size()) options.devices = fleet.size();
  fleet.resize(options.devices);
  if (auto open_files = lantern::raise_open_file_limit(); open_files < fleet.size() + 100)
    std::fprintf(stderr,
                 "lantern-sim: warning: %zu devices but only %zu open files allowed: split the fleet over processes "
                 "with --skip\n",
                 fleet.size(), open_files);

  sim_stats stats;
  if (!options.acked_log.empty()) stats.open_acked_log(options.acked_log);
  if (!options.slowest_acks.empty()) stats.write_slowest_to(options.slowest_acks);
  run_control control;
  net::io_context io(static_cast<int>(options.threads));
  // Seqs start from the clock, so a new run against an old database is not taken as re-sends.
  auto first_seq = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  if (options.protocol == "dc09" && std::none_of(options.mix.begin(), options.mix.end(), [](const auto& entry) {
        return !contact_id_code_for(entry.first).empty();
      })) {
    std::fprintf(stderr, "lantern-sim: no type of --mix has a Contact ID code (try pendant, fall, smoke, medical)\n");
    return 2;
  }
  std::shared_ptr<net::ssl::context> tls;  // one for the fleet
  if (options.tls && options.protocol == "dc09") {
    std::fprintf(stderr, "lantern-sim: --tls is for Lantern's device link; DC-09 units encrypt with their keys\n");
    return 2;
  }
  if (options.tls) {
    try {
      tls = make_client_tls(options.tls_ca, options.tls_cert, options.tls_key);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "lantern-sim: %s\n", e.what());
      return 2;
    }
  }
  std::vector<std::shared_ptr<void>> devices;
  std::size_t slow_devices = 0;  // --faults slow: they send no alarms
  for (std::size_t i = 0; i < fleet.size(); ++i) {
    auto strand = net::make_strand(io);
    auto seed = static_cast<unsigned>(i * 7919 + 17);
    if (options.protocol == "dc09") {
      auto unit =
          std::make_shared<simulated_unit>(strand, fleet[i], options, stats, control, seed, traits_for(options, i));
      devices.push_back(unit);
      net::co_spawn(
          strand, [unit] { return unit->run(); }, net::detached);
    } else {
      auto traits = traits_for(options, i);
      traits.tls = tls.get();
      slow_devices += traits.fault == fault_kind::slow;
      auto device =
          std::make_shared<simulated_device>(strand, fleet[i], options, stats, control, first_seq, seed, traits);
      devices.push_back(device);
      net::co_spawn(
          strand, [device] { return device->run(); }, net::detached);
    }
  }

  auto started = clock::now();
  clock::time_point generation_ended{};
  auto stop_generating = [&] {
    if (control.phase.exchange(run_control::draining) == run_control::draining) return;
    generation_ended = clock::now();
    control.drain_deadline =
        (generation_ended + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(options.drain_s)))
            .time_since_epoch()
            .count();
  };
  net::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) stop_generating();
  });
  net::steady_timer ticker(io);
  std::uint64_t connects_seen = 0;
  auto last_connect = clock::now();
  std::function<void()> tick = [&] {
    ticker.expires_after(std::chrono::seconds(1));
    ticker.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      auto elapsed = std::chrono::duration<double>(clock::now() - started).count();
      // Generation starts when every device is in (or has given up), or when logins stall
      // for half a minute (a large fleet takes minutes: one slow hash each after a restart).
      if (stats.connects != connects_seen) {
        connects_seen = stats.connects;
        last_connect = clock::now();
      }
      if (control.phase == run_control::connecting &&
          (stats.connects + stats.devices_refused >= devices.size() || clock::now() - last_connect > 30s)) {
        control.phase = run_control::generating;
        started = clock::now();
        elapsed = 0;
      }
      if (control.phase == run_control::generating && options.duration_s > 0 && elapsed >= options.duration_s)
        stop_generating();
      // --alarms: once every device has sent its own (a slow one never will: it is not waited for).
      if (control.phase == run_control::generating && options.alarms_each > 0 &&
          control.devices_sent_all + slow_devices >= devices.size())
        stop_generating();
      if (control.phase == run_control::generating && options.outage_at_s >= 0 && elapsed >= options.outage_at_s)
        control.outage = true;
      if (options.progress) stats.print_progress(stderr, elapsed);
      if (control.devices_finished == devices.size()) {
        signals.cancel();
        return;
      }
      tick();
    });
  };
  tick();

  std::vector<std::thread> threads;
  for (unsigned i = 1; i < options.threads; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  if (options.progress) std::fprintf(stderr, "\n");

  if (generation_ended == clock::time_point{}) generation_ended = clock::now();
  stats.print(stdout, fleet.size(), std::chrono::duration<double>(generation_ended - started).count());
  return stats.alarms_unacked_at_end > 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = parse_sim_options(argc, argv);
  if (std::holds_alternative<show_help>(parsed)) {
    std::fputs(sim_usage().c_str(), stdout);
    return 0;
  }
  if (auto* error = std::get_if<option_error>(&parsed)) {
    std::fprintf(stderr, "lantern-sim: %s\n", error->message.c_str());
    return 64;
  }
  auto options = std::get<sim_options>(parsed);
  return options.make_centre_persons > 0 ? make_centre(options) : simulate(options);
}
