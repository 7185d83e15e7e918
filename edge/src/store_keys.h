// The layout of the key-value store, in one place. Every key of an
// organisation's data starts with "org/<org>/", so no route can reach another
// organisation's records by accident: keys are built from the authenticated
// organisation only.
#ifndef SLUICE_EDGE_STORE_KEYS_H_
#define SLUICE_EDGE_STORE_KEYS_H_

#include <string>

#include "crypto/sha256.h"

namespace sluice::edge::keys {

//! JSON array of the organisation's schema ids, oldest first.
inline std::string SchemaIndex(const std::string& org) { return "org/" + org + "/schemas"; }
//! One saved schema (the JSON a client sees).
inline std::string Schema(const std::string& org, const std::string& id) { return "org/" + org + "/schema/" + id; }
//! The id of the schema holding `name` (names are unique per organisation).
inline std::string SchemaName(const std::string& org, const std::string& name) {
  return "org/" + org + "/schema-name/" + ToHex(Sha256(name));
}

//! JSON array of the organisation's headless import ids, oldest first.
inline std::string ImportIndex(const std::string& org) { return "org/" + org + "/imports"; }
//! One headless import's record.
inline std::string Import(const std::string& org, const std::string& id) { return "org/" + org + "/import/" + id; }
//! The last review a person submitted for an import (ReviewChanges JSON).
inline std::string Review(const std::string& org, const std::string& id) { return "org/" + org + "/review/" + id; }
//! The import an Idempotency-Key created.
inline std::string Idempotency(const std::string& org, const std::string& key) {
  return "org/" + org + "/idempotency/" + ToHex(Sha256(key));
}

//! How far a running import got ({"stage", "bytes", "rows", "done", "total"}):
//! written by the host while the job runs (HandlerInput::progress), removed
//! by the host when it ends.
inline std::string Progress(const std::string& org, const std::string& id) { return "org/" + org + "/progress/" + id; }
//! The rate-limit window of import creates: {"window", "count"}.
inline std::string CreateRate(const std::string& org) { return "org/" + org + "/rate/create"; }
//! The rate-limit window of polls of one import (deleted with the import).
inline std::string PollRate(const std::string& org, const std::string& id) { return "org/" + org + "/rate/poll/" + id; }

//! JSON array of the organisation's webhook ids, oldest first.
inline std::string WebhookIndex(const std::string& org) { return "org/" + org + "/webhooks"; }
//! One webhook: {id, url, events, importIdentifier, schema_id, secret, created_date}.
inline std::string Webhook(const std::string& org, const std::string& id) { return "org/" + org + "/webhook/" + id; }
//! JSON array of a webhook's most recent delivery ids, oldest first.
inline std::string DeliveryIndex(const std::string& org, const std::string& webhook_id) {
  return "org/" + org + "/deliveries/" + webhook_id;
}
//! One delivery of the outbox: what to send, where, and every attempt.
inline std::string Delivery(const std::string& org, const std::string& id) { return "org/" + org + "/delivery/" + id; }

}  // namespace sluice::edge::keys

namespace sluice::edge::blobs {

//! The file uploaded (or the initial_data given) for an import.
inline std::string Upload(const std::string& org, const std::string& id) { return "uploads/" + org + "/" + id; }
//! The cleaned rows of an import, in `format` (json, ndjson, csv).
inline std::string Result(const std::string& org, const std::string& id, const std::string& format) {
  return "results/" + org + "/" + id + "." + format;
}

}  // namespace sluice::edge::blobs

#endif  // SLUICE_EDGE_STORE_KEYS_H_
