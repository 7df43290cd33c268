/** Built-in sedge plugins: models. Exports nothing; provides services. */
module dev.sedge.models {
    requires dev.sedge.api;
}
