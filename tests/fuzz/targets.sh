# The libFuzzer targets and their seed folders (under tests/fuzz), for tests/run.sh and
# tests/fuzz/long.sh: every decoder of what comes from outside the server.
# shellcheck disable=SC2034
fuzz_targets=(
  frame_decoder_fuzz:corpus            # device frames
  dc09_fuzz:dc09-frames                # SIA DC-09 frames
  console_path_fuzz:console-paths      # the console's static path resolver
  console_command_fuzz:console-commands  # WebSocket JSON into a real desk
  record_body_fuzz:record-bodies       # records API bodies
  centre_file_fuzz:centre-files        # the centre file (--import)
  config_fuzz:configs                  # lantern.toml
  carer_token_fuzz:carer-tokens        # carers' link tokens
  login_body_fuzz:login-bodies         # login bodies
)

# Configures and builds every target in build-fuzz with clang 14.
build_fuzz_targets() {
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
    -DLANTERN_FUZZ=ON >/dev/null
  local names=()
  for entry in "${fuzz_targets[@]}"; do names+=("${entry%%:*}"); done
  cmake --build build-fuzz -j2 --target "${names[@]}"
}
