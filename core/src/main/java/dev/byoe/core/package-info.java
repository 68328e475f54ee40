/**
 * Plain building blocks every other module shares: one Jackson configuration ({@link
 * dev.byoe.core.Json}), request deadlines and the build's version. Depends on no byoe module and on
 * no machine-learning library.
 */
package dev.byoe.core;
