// `attnrank help`: the usage text, written from the core's tables rather than by hand. The synopsis (one
// entry per command: its flags, each with its default for that command or its value's kind) comes from the
// parameter registry (parameter_registry.h: which requests a parameter applies to, its CLI flag, type,
// choices and per-request defaults); the options section gives each flag's type, range or choices and
// defaults; the patterns come from the pattern registry. Only the commands' one-paragraph descriptions are
// written here. README.md's copy of the synopsis is checked against this text (tests/node/cli-usage.test.mjs).
#pragma once

#include <string>

namespace attnrank::cli {

// The synopsis: "usage:" and one entry per command, up to (not including) the first empty line.
std::string usage_synopsis();
// The whole help text: the synopsis, the commands' descriptions, the patterns, the options, memory.
std::string usage();

}  // namespace attnrank::cli
