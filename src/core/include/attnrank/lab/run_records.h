// Reading checkpoint records back (the verdicts' input, verdicts.h): the JSONL text `attnrank train`
// writes, or JSON.stringify of lab_checkpoints() entries, one object per line. Only the top-level keys the
// verdicts read are taken (task, config, seed, step, steps, heldout_loss, heldout_accuracy, baseline);
// other members, nested ones included (heads), are skipped unread, at any depth, without recursion. Blank
// lines are skipped. Not a general JSON reader: the core reads no other JSON.
#pragma once

#include <string>
#include <vector>

#include "attnrank/lab/verdicts.h"

namespace attnrank::lab {

// Throws kInvalidArgument (param "records") naming the line and byte: malformed JSON, a line that is not
// an object, a missing or mistyped key, a seed outside [0, 2^32 - 1], step or steps not an int.
std::vector<RunRecord> read_run_records(const std::string& jsonl);

}  // namespace attnrank::lab
