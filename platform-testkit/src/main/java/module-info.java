/** Contract checks for sedge plugins, usable from any test framework (failures are AssertionErrors). */
module dev.sedge.testkit {
    requires transitive dev.sedge.api;

    exports dev.sedge.testkit;
}
