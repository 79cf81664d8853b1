// The parameter registry (base/parameter_registry.h) as a result tree (result_fields.h), for the wasm
// module's parameters() and `attnrank parameters --json`: the page's URL state, the embed's attributes and
// the controls read it. Not here: the table itself, and any formatting.
#pragma once

#include "attnrank/io/result_fields.h"

namespace attnrank {

// [{name, type ("integer", "number", "choice", "boolean", "text", "list"), min, max (null without a fixed
//  range), choices (list, or null), default (typed: number, boolean or text; null when none or derived),
//  defaults ({request: typed default} where a request's default differs), cli_flag, url_key, attribute
//  ("" for none), requests (["stats", ..., "page"]), words_key, note, refused_with_q_k (true for the seeded
//  inputs' parameters, which analyze() refuses beside the user's q and k: request_fields.h
//  seeded_input_parameters)}] in registry order.
ResultValue parameter_registry_result();

}  // namespace attnrank
