/** Built-in sedge plugins: formats. Exports nothing; provides services. */
module dev.sedge.formats {
    requires dev.sedge.api;
}
