// The module's imports of its own, sluice.progress and sluice.blob_chunk
// (edge/wasi/exports.cpp), declared so Emscripten's link check knows they
// exist; the hosts provide them (edge/hosts/shared/edge-module.mjs). Nothing
// of this file runs.
mergeInto(LibraryManager.library, {
  progress: function (json, length) {},
  blob_chunk: function (name, nameLength, bytes, length) {},
});
