#!/usr/bin/env node
// Entry point of the shopctl binary: keep it tiny so that --help and --version start fast.
import { run } from "../main.js";

process.exitCode = await run(process.argv);
