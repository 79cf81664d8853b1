// `attnrank`: the native command-line tool. Subcommands stats, sweep, collapse, mixture, arch,
// permutation, claims, limits, parameters; the same core and the same JSON as the wasm module.
// Exit codes: 0 success, 2 bad input (message on stderr), 1 anything else.
#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "attnrank/base/errors.h"
#include "commands.h"
#include "usage.h"

namespace {

using attnrank::cli::usage;

constexpr int kExitBadInput = 2;
constexpr int kExitFailure = 1;

// A command's output is only delivered once stdout's buffer is flushed: a full disk or a closed pipe
// reports there, and must fail the run instead of exiting 0 with the output lost.
int with_output_delivered(int status) {
  errno = 0;
  std::cout.flush();
  if (std::cout) return status;
  const std::string reason = errno != 0 ? std::string(" (") + std::strerror(errno) + ")" : "";
  std::cerr << "attnrank: cannot write the output to stdout" << reason << "\n";
  return kExitFailure;
}

// One command, its errors turned into the exit status (2 bad input, 1 numerical or internal failure).
int run_command(const std::string& command, const std::vector<std::string>& rest) {
  try {
    if (command == "stats") return attnrank::cli::run_stats(rest, std::cout);
    if (command == "sweep") return attnrank::cli::run_sweep(rest, std::cout);
    if (command == "collapse") return attnrank::cli::run_collapse(rest, std::cout);
    if (command == "mixture") return attnrank::cli::run_mixture(rest, std::cout);
    if (command == "permutation") return attnrank::cli::run_permutation(rest, std::cout);
    if (command == "arch") return attnrank::cli::run_arch(rest, std::cout);
    if (command == "claims") return attnrank::cli::run_claims(rest, std::cout);
    if (command == "limits") return attnrank::cli::run_limits(rest, std::cout);
    if (command == "parameters") return attnrank::cli::run_parameters(rest, std::cout);
    if (command == "train") return attnrank::cli::run_train(rest, std::cout);
    if (command == "schema") return attnrank::cli::run_schema(rest, std::cout);
    std::cerr << "attnrank: unknown command '" << attnrank::printable(command) << "'\n" << usage();
    return kExitBadInput;
  } catch (const attnrank::Error& error) {
    std::cerr << "attnrank: " << error.what() << "\n";
    return error.code() == attnrank::ErrorCode::kNumericalFailure ? kExitFailure : kExitBadInput;
  } catch (const std::exception& error) {
    std::cerr << "attnrank: internal error: " << error.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty() || words[0] == "help" || words[0] == "--help" || words[0] == "-h") {
    std::cout << usage();
    return with_output_delivered(words.empty() ? kExitBadInput : 0);
  }
  const std::string command = words[0];
  const std::vector<std::string> rest(words.begin() + 1, words.end());
  return with_output_delivered(run_command(command, rest));
}
