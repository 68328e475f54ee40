/**
 * SageMaker's API as data: the request and response shapes of botocore's service model that byoe
 * checks its inputs and outputs against, and the ARNs of local resources.
 */
package dev.byoe.jobs.api;
