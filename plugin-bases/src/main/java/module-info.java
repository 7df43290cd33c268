/** Built-in sedge plugins: bases. Exports nothing; provides services. */
module dev.sedge.bases {
    requires dev.sedge.api;
}
