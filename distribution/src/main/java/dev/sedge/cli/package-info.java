/** The {@code sedge} command line: parse, call the core, render. */
package dev.sedge.cli;
