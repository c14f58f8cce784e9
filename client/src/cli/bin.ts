#!/usr/bin/env node
// `herald`, the command of @herald/client (see main.ts).
import './main.js';
