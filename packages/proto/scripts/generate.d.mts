// Types for the build script, so tests can load the .proto sources the same way it does.
import type { Root } from 'protobufjs';

/** Parses proto/**\/*.proto (keepCase) into a resolved protobufjs Root. */
export function loadRoot(): Root;
