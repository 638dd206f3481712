#!/usr/bin/env node
// A command line over the npm package slip39 (github.com/ilap/slip39-js, pinned in package.json),
// an implementation of SLIP-39 independent of ours, for tests/backup/slip39_npm_test.cpp:
//
//   node slip39_tool.js version
//       the installed package's version
//   node slip39_tool.js combine [--passphrase P]
//       mnemonics on stdin, one a line; prints the master secret in hex
//   node slip39_tool.js split --secret HEX --group-threshold G --group T/N [--group T/N ...]
//                             [--passphrase P] [--iteration-exponent E] [--extendable 0|1]
//       prints the mnemonics one a line, group by group, members in index order
//
// The passphrase is --passphrase, else the environment's SLIP39_PASSPHRASE, else empty. Without
// --iteration-exponent and --extendable, split uses the package's defaults (0 and 1).
// Exit status: 0 done, 1 the package refused (its message on stderr), 2 bad usage.
"use strict";

const fs = require("fs");
const slip39 = require("slip39");

class UsageError extends Error {}

function fail(status, message) {
  process.stderr.write(`slip39_tool: ${message}\n`);
  process.exit(status);
}

// Options as name -> list of values, so a repeated --group keeps every value.
function parseOptions(args, known) {
  const options = new Map();
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i];
    if (!known.includes(name)) throw new UsageError(`unknown option ${name}`);
    if (i + 1 >= args.length) throw new UsageError(`${name} needs a value`);
    if (!options.has(name)) options.set(name, []);
    options.get(name).push(args[i + 1]);
  }
  return options;
}

function single(options, name, fallback) {
  const values = options.get(name);
  if (values === undefined) {
    if (fallback === undefined) throw new UsageError(`${name} is required`);
    return fallback;
  }
  if (values.length !== 1) throw new UsageError(`${name} given more than once`);
  return values[0];
}

// Decimal digits only: Number("") is 0 and parseInt("2x") is 2, neither a mistake to let by.
function integer(text, name, low, high) {
  if (!/^[0-9]{1,3}$/.test(text) || Number(text) < low || Number(text) > high) {
    throw new UsageError(`${name} must be an integer in ${low}..${high}, not "${text}"`);
  }
  return Number(text);
}

function passphraseOf(options) {
  return single(options, "--passphrase", process.env.SLIP39_PASSPHRASE || "");
}

function combine(args) {
  const options = parseOptions(args, ["--passphrase"]);
  // Their decoder splits on single spaces only: trim each line and collapse runs of white space,
  // so that how a test lays out its input is not what is being compared.
  const mnemonics = fs
    .readFileSync(0, "utf8")
    .split("\n")
    .map((line) => line.trim().split(/\s+/).join(" "))
    .filter((line) => line !== "");
  const secret = slip39.recoverSecret(mnemonics, passphraseOf(options));
  process.stdout.write(`${Buffer.from(secret).toString("hex")}\n`);
}

function split(args) {
  const options = parseOptions(args, [
    "--secret",
    "--group-threshold",
    "--group",
    "--passphrase",
    "--iteration-exponent",
    "--extendable",
  ]);
  const hex = single(options, "--secret");
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new UsageError("--secret must be hex bytes");
  const groups = (options.get("--group") || []).map((text) => {
    const parts = /^([0-9]+)\/([0-9]+)$/.exec(text);
    if (parts === null) throw new UsageError(`--group must be T/N, not "${text}"`);
    return [integer(parts[1], "member threshold", 1, 16), integer(parts[2], "member count", 1, 16)];
  });
  if (groups.length === 0) throw new UsageError("at least one --group is required");
  const slip = slip39.fromArray(Array.from(Buffer.from(hex, "hex")), {
    passphrase: passphraseOf(options),
    threshold: integer(single(options, "--group-threshold"), "--group-threshold", 1, 16),
    groups: groups,
    // The field is 4 bits; the package itself lets 16 through (its bound is inclusive).
    iterationExponent: integer(
      single(options, "--iteration-exponent", "0"),
      "--iteration-exponent",
      0,
      15,
    ),
    extendableBackupFlag: integer(single(options, "--extendable", "1"), "--extendable", 0, 1),
  });
  // The root's mnemonics are its groups' in order, each group's members in order.
  for (const mnemonic of slip.fromPath("r").mnemonics) process.stdout.write(`${mnemonic}\n`);
}

function main(argv) {
  const [command, ...args] = argv;
  try {
    if (command === "version") {
      if (args.length !== 0) throw new UsageError("version takes no arguments");
      process.stdout.write(`${require("slip39/package.json").version}\n`);
    } else if (command === "combine") {
      combine(args);
    } else if (command === "split") {
      split(args);
    } else {
      throw new UsageError("usage: slip39_tool.js version | combine [...] | split [...]");
    }
  } catch (error) {
    fail(error instanceof UsageError ? 2 : 1, error.message);
  }
}

main(process.argv.slice(2));
