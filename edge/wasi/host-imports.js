// The module's one import of its own, sluice.progress (edge/wasi/exports.cpp),
// declared so Emscripten's link check knows it exists; the hosts provide it
// (edge/hosts/shared/edge-module.mjs). Nothing of this file runs.
mergeInto(LibraryManager.library, {
  progress: function (json, length) {},
});
