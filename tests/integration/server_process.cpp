#include "server_process.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <regex>
#include <stdexcept>

extern char** environ;

namespace lantern::testing {
namespace {

pid_t spawn_with_pipe(const std::string& program, const std::vector<std::string>& args, int& read_fd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    throw std::runtime_error("cannot start " + program);
  }
  read_fd = fds[0];
  return pid;
}

// A thread that appends everything the child writes to `output` until it exits.
std::thread collect_output(int fd, std::mutex& mutex, std::string& output) {
  return std::thread([fd, &mutex, &output] {
    char buffer[4096];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0) {
      std::lock_guard lock(mutex);
      output.append(buffer, std::size_t(n));
    }
  });
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

temp_dir::temp_dir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() / ("lantern-it-" + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

run_result run_program(const std::string& program, const std::vector<std::string>& args) {
  int fd = -1;
  pid_t pid = spawn_with_pipe(program, args, fd);
  std::string output;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) output.append(buffer, std::size_t(n));
  close(fd);
  return {wait_exit(pid), output};
}

run_result import_centre(const std::string& db, const std::string& centre_file) {
  return run_program(LANTERN_SERVER, {"--db", db, "--import", centre_file, "--import-only"});
}

std::string sim_fleet_database(const temp_dir& dir, int persons, std::vector<std::string> make_args) {
  std::vector<std::string> args{"make-centre", "--persons", std::to_string(persons), "--out", dir.file("fleet.json")};
  args.insert(args.end(), make_args.begin(), make_args.end());
  auto made = run_program(LANTERN_SIM, args);
  if (made.exit_code != 0) throw std::runtime_error("lantern-sim make-centre failed: " + made.output);
  auto db = dir.file("lantern.db");
  auto imported = import_centre(db, dir.file("fleet.json"));
  if (imported.exit_code != 0) throw std::runtime_error("the fleet's import failed: " + imported.output);
  return db;
}

sim_load::sim_load(const temp_dir& dir, unsigned short device_port, int seconds, int rate)
    : acked_log_(dir.file("acked.txt")), report_(dir.file("sim.out")) {
  std::vector<std::string> args{LANTERN_SIM,
                                "--centre",
                                dir.file("fleet.json"),
                                "--port",
                                std::to_string(device_port),
                                "--duration",
                                std::to_string(seconds),
                                "--alarm-rate",
                                std::to_string(rate),
                                "--ack-timeout",
                                "1",
                                "--drain",
                                "20",
                                "--acked-log",
                                acked_log_};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, report_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int rc = posix_spawn(&pid_, LANTERN_SIM, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start lantern-sim");
}

sim_load::~sim_load() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    wait_exit(pid_);
  }
}

std::vector<std::pair<std::string, std::int64_t>> sim_load::acked_so_far() const {
  std::ifstream log(acked_log_);
  std::vector<std::pair<std::string, std::int64_t>> acked;
  for (std::string line; std::getline(log, line);) {
    if (log.eof()) break;  // the last line, not yet written whole
    auto space = line.find(' ');
    if (space != std::string::npos) acked.emplace_back(line.substr(0, space), std::atoll(line.c_str() + space + 1));
  }
  return acked;
}

run_result sim_load::wait() {
  int code = wait_exit(pid_);
  pid_ = -1;
  std::ifstream out(report_);
  return {code, std::string((std::istreambuf_iterator<char>(out)), {})};
}

std::string demo_centre() { return std::string(LANTERN_SOURCE_DIR) + "/deploy/demo-centre.json"; }

std::string demo_database(const temp_dir& dir) {
  auto db = dir.file("lantern.db");
  auto imported = import_centre(db, demo_centre());
  if (imported.exit_code != 0) throw std::runtime_error("the demo centre's import failed: " + imported.output);
  return db;
}

int connect_from(const std::string& from, unsigned short port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in here{};
  here.sin_family = AF_INET;
  inet_pton(AF_INET, from.c_str(), &here.sin_addr);
  sockaddr_in there{};
  there.sin_family = AF_INET;
  there.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  there.sin_port = htons(port);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&here), sizeof here) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&there), sizeof there) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

std::vector<int> idle_connections(const std::string& from, unsigned short port, int count) {
  std::vector<int> held;
  for (int i = 0; i < count; ++i) {
    int fd = connect_from(from, port);
    if (fd < 0) {
      for (int open : held) close(open);
      return {};
    }
    held.push_back(fd);
  }
  return held;
}

unsigned short free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

namespace {

bool listening(unsigned short port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

}  // namespace

child_process::child_process(const std::string& program, const std::vector<std::string>& args, unsigned short port) {
  pid_ = spawn_with_pipe(program, args, output_fd_);
  reader_ = collect_output(output_fd_, mutex_, output_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!listening(port)) {
    if (std::chrono::steady_clock::now() > deadline || waitpid(pid_, nullptr, WNOHANG) == pid_)
      throw std::runtime_error(program + " did not start listening on port " + std::to_string(port) + ":\n" + output());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

child_process::~child_process() {
  kill(pid_, SIGTERM);
  wait_exit(pid_);
  if (reader_.joinable()) reader_.join();
  close(output_fd_);
}

std::string child_process::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

server_process::server_process(const std::string& db, std::vector<std::string> extra_args,
                               std::vector<std::string> launcher) {
  std::vector<std::string> args{"--db", db, "--threads", "2"};
  bool ports_given = false;
  for (const auto& a : extra_args) ports_given = ports_given || a == "--device-port";
  if (!ports_given) args.insert(args.end(), {"--device-port", "0"});
  args.insert(args.end(), {"--http-port", "0", "--metrics-bind", "127.0.0.1:0"});
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  start(std::move(args), std::move(launcher));
}

void server_process::start(std::vector<std::string> args, std::vector<std::string> launcher) {
  std::string program = LANTERN_SERVER;
  if (!launcher.empty()) {
    args.insert(args.begin(), program);
    args.insert(args.begin(), launcher.begin() + 1, launcher.end());
    program = launcher.front();
  }
  pid_ = spawn_with_pipe(program, args, output_fd_);
  reader_ = collect_output(output_fd_, mutex_, output_);
  static const std::regex ports("device_port=(\\d+) http_port=(\\d+) metrics_port=(\\d+)( dc09_port=(\\d+))?");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mutex_);
      std::smatch match;
      if (std::regex_search(output_, match, ports)) {
        device_port_ = static_cast<unsigned short>(std::stoi(match[1]));
        http_port_ = static_cast<unsigned short>(std::stoi(match[2]));
        metrics_port_ = static_cast<unsigned short>(std::stoi(match[3]));
        if (match[5].matched) dc09_port_ = static_cast<unsigned short>(std::stoi(match[5]));
        return;
      }
    }
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Ends the child (if it still runs) and the reader, so that the throw leaves nothing behind.
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    wait_exit(pid_);
    pid_ = -1;
  }
  if (reader_.joinable()) reader_.join();
  close(output_fd_);
  throw std::runtime_error("lantern-server did not start:\n" + output());
}

long server_process::resident_kib() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

bool server_process::said(const std::string& text) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (output().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::string server_process::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

int server_process::stop() {
  if (pid_ < 0) return -1;
  kill(pid_, SIGTERM);
  int code = wait_exit(pid_);
  pid_ = -1;
  if (reader_.joinable()) reader_.join();
  close(output_fd_);
  return code;
}

void server_process::kill_hard() {
  if (pid_ < 0) return;
  kill(pid_, SIGKILL);
  wait_exit(pid_);
  pid_ = -1;
  if (reader_.joinable()) reader_.join();
  close(output_fd_);
}

server_process::~server_process() {
  if (pid_ < 0) return;
  // A crash, a sanitizer report or a leak at exit fails whichever test owned the server.
  int code = stop();
  if (code != 0) ADD_FAILURE() << "lantern-server exited with " << code << ":\n" << output();
}

}  // namespace lantern::testing
