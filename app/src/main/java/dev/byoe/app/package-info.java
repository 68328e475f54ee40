/** The runnable jar's entry point: {@code java -jar byoe.jar <command>}. */
package dev.byoe.app;
