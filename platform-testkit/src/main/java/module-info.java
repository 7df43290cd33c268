/** Contract checks for sedge plugins, usable from any test framework (failures are AssertionErrors). */
module dev.sedge.testkit {
    requires transitive dev.sedge.api;
    requires static dev.sedge.api.djl; // only ArchitectureContract and OptimizerContract, whose callers have it

    exports dev.sedge.testkit;
}
