/**
 * The ensemble: members that train and predict, the averaging that joins them, and the artifact
 * ({@code manifest.json} plus each member's native model file) that carries a trained ensemble from
 * the training job to the endpoint. Depends on no other byoe module.
 */
package dev.byoe.ensemble;
