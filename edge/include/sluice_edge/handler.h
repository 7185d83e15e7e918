// The HTTP API as a pure function: HandlerInput in, HandlerOutput out. No
// clock, randomness or I/O inside: the host passes `now` and random bytes, and
// carries out the writes and effects the output lists (DESIGN.md).
//
// Input frame parts:  "request" JSON {method, path, query, headers {lower-case
//                     name: value}, now_ms, config {}}, "body" raw bytes,
//                     "random" raw bytes.
// Output frame parts: "response" JSON {status, headers [[name, value]...]},
//                     "body" raw bytes.
#ifndef SLUICE_EDGE_HANDLER_H_
#define SLUICE_EDGE_HANDLER_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sluice/error.h"
#include "sluice_edge/envelope.h"

namespace sluice::edge {

struct Request {
  std::string method;  //!< upper case, e.g. "GET"
  std::string path;    //!< without the query, e.g. "/api/v1/schemas/"
  std::string query;   //!< raw query string without '?'
  std::map<std::string, std::string> headers;  //!< names lower case
  std::string body;    //!< raw bytes
};

struct HandlerInput {
  Request request;
  int64_t now_ms = 0;       //!< the host's clock, milliseconds since the epoch
  std::string random;       //!< random bytes from the host
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HandlerOutput {
  Response response;
};

//! Reads a HandlerInput from an input frame. Errors: `envelope_malformed`.
Result<HandlerInput> DecodeInput(const Frame& frame);
Frame EncodeOutput(const HandlerOutput& output);

//! Answers one request. Never fails: every problem becomes an HTTP error.
HandlerOutput Handle(const HandlerInput& input);

//! Frame bytes in, frame bytes out: DecodeFrame, DecodeInput, Handle,
//! EncodeOutput. A frame the host built wrongly yields a "fault" part (JSON
//! {code, message}) instead of a response; that is a host bug, never a client's.
std::string HandleFrame(std::string_view input_frame);

}  // namespace sluice::edge

#endif  // SLUICE_EDGE_HANDLER_H_
