// The CLI's subcommands. Each returns the process exit code and writes results to `out`.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace attnrank::cli {

int run_stats(const std::vector<std::string>& argv, std::ostream& out);
int run_sweep(const std::vector<std::string>& argv, std::ostream& out);
int run_collapse(const std::vector<std::string>& argv, std::ostream& out);
int run_mixture(const std::vector<std::string>& argv, std::ostream& out);
int run_permutation(const std::vector<std::string>& argv, std::ostream& out);
int run_arch(const std::vector<std::string>& argv, std::ostream& out);
int run_limits(const std::vector<std::string>& argv, std::ostream& out);
int run_parameters(const std::vector<std::string>& argv, std::ostream& out);
int run_claims(const std::vector<std::string>& argv, std::ostream& out);
int run_train(const std::vector<std::string>& argv, std::ostream& out);
int run_schema(const std::vector<std::string>& argv, std::ostream& out);

}  // namespace attnrank::cli
