package dev.byoe.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.core.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Property paths, functions and conditions as definitions write them. */
class DefinitionLanguageTest {
    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text.replace('\'', '"'));
    }

    /** Values of Get paths from fixed properties and one property file. */
    private static final class Fixed implements Expressions.Scope {
        final JsonNode steps;
        final JsonNode file;

        Fixed(JsonNode steps, JsonNode file) {
            this.steps = steps;
            this.file = file;
        }

        @Override
        public JsonNode get(PropertyPath path) {
            JsonNode v =
                    switch (path.root()) {
                        case "Parameters" -> Json.MAPPER.getNodeFactory().numberNode(0.5);
                        case "Steps" -> path.navigate(steps.path(path.name(1)), 2);
                        default -> null;
                    };
            if (v == null) {
                throw new IllegalArgumentException("no " + path.text());
            }
            return v;
        }

        @Override
        public JsonNode propertyFile(PropertyPath path) {
            return file;
        }
    }

    @Test
    void propertyPathsPickListElementsByNameOrIndex() throws Exception {
        JsonNode train =
                json(
                        "{'FinalMetricDataList': [{'MetricName': 'validation:rmse', 'Value': 3.5},"
                                + " {'MetricName': 'validation:r2', 'Value': 0.4}],"
                                + " 'ProcessingOutputConfig': {'Outputs': [{'OutputName': 'a', 'S3Output': {'S3Uri': 's3://b/a'}},"
                                + " {'OutputName': 'train', 'S3Output': {'S3Uri': 's3://b/t'}}]}}");
        PropertyPath metric =
                PropertyPath.parse("Steps.Train.FinalMetricDataList['validation:r2'].Value");
        assertEquals(
                List.of(
                        "Steps",
                        "Train",
                        "FinalMetricDataList",
                        new PropertyPath.Key("validation:r2"),
                        "Value"),
                metric.segments());
        assertEquals(0.4, metric.navigate(train, 2).asDouble());
        assertEquals(
                "s3://b/t",
                PropertyPath.parse("Steps.P.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri")
                        .navigate(train, 2)
                        .asText());
        assertEquals(
                3.5,
                PropertyPath.parse("Steps.T.FinalMetricDataList[0].Value")
                        .navigate(train, 2)
                        .asDouble());
        assertEquals(
                null,
                PropertyPath.parse("Steps.T.FinalMetricDataList['nope'].Value").navigate(train, 2));
        assertThrows(
                IllegalArgumentException.class, () -> PropertyPath.parse("Steps.T.List['open"));
        assertThrows(IllegalArgumentException.class, () -> PropertyPath.parse("Steps.T.List[x]"));
    }

    @Test
    void joinAndJsonGetResolveInsideArguments() throws Exception {
        Fixed scope =
                new Fixed(
                        json("{'Tune': {'BestTrainingJob': {'TrainingJobName': 'job-7'}}}"),
                        json(
                                "{'metrics': {'rmse': {'value': 41.5}}, 'comparison': {'better': true}}"));
        JsonNode args =
                json(
                        "{'ModelDataUrl': {'Std:Join': {'On': '/', 'Values': ['s3://b/models',"
                                + " {'Get': 'Steps.Tune.BestTrainingJob.TrainingJobName'}, 'output/model.tar.gz']}},"
                                + " 'List': [{'Get': 'Parameters.Threshold'}, 'plain'],"
                                + " 'Rmse': {'Std:JsonGet': {'PropertyFile': {'Get': 'Steps.Eval.PropertyFiles.Report'}, 'Path': 'metrics.rmse.value'}}}");
        JsonNode resolved = Expressions.resolve(args, scope);
        assertEquals(
                "s3://b/models/job-7/output/model.tar.gz", resolved.path("ModelDataUrl").asText());
        assertEquals(0.5, resolved.path("List").get(0).asDouble());
        assertEquals("plain", resolved.path("List").get(1).asText());
        assertEquals(41.5, resolved.path("Rmse").asDouble());
        JsonNode missing =
                json(
                        "{'x': {'Std:JsonGet': {'PropertyFile': {'Get': 'Steps.Eval.PropertyFiles.Report'}, 'Path': 'metrics.mae.value'}}}");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> Expressions.resolve(missing, scope));
        assertTrue(e.getMessage().contains("metrics.mae.value"), e.getMessage());
    }

    @Test
    void conditionsCompareNumbersAndTexts() throws Exception {
        assertTrue(
                Conditions.all(
                        json(
                                "[{'Type': 'GreaterThanOrEqualTo', 'LeftValue': 0.7, 'RightValue': '0.7'}]")));
        assertFalse(
                Conditions.all(json("[{'Type': 'LessThan', 'LeftValue': 2, 'RightValue': 1}]")));
        assertTrue(
                Conditions.all(json("[{'Type': 'In', 'QueryValue': 'b', 'Values': ['a', 'b']}]")));
        assertTrue(
                Conditions.all(
                        json(
                                "[{'Type': 'Not', 'Condition': {'Type': 'Equals', 'LeftValue': true, 'RightValue': false}}]")));
        assertTrue(
                Conditions.all(
                        json(
                                "[{'Type': 'Or', 'Conditions': [{'Type': 'Equals', 'LeftValue': 1, 'RightValue': 2},"
                                        + " {'Type': 'NotEquals', 'LeftValue': 'x', 'RightValue': 'y'}]}]")));
        // Every condition of the list must hold.
        assertFalse(
                Conditions.all(
                        json(
                                "[{'Type': 'Equals', 'LeftValue': 1, 'RightValue': 1}, {'Type': 'Equals', 'LeftValue': 1, 'RightValue': 2}]")));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        Conditions.all(
                                json(
                                        "[{'Type': 'GreaterThan', 'LeftValue': 'abc', 'RightValue': 1}]")));
    }

    @Test
    void theReaderRefusesBadReferencesNonLocalTypesAndForeignImagesBeforeAnything()
            throws Exception {
        JsonNode d =
                json(
                        "{'Version': '2020-12-01', 'Parameters': [{'Name': 'Limit', 'Type': 'Integer', 'DefaultValue': 3}],"
                                + " 'Steps': ["
                                + "{'Name': 'Fn', 'Type': 'Lambda', 'Arguments': {}},"
                                + "{'Name': 'Other', 'Type': 'Processing', 'Arguments': {'AppSpecification': {'ImageUri': '123.dkr.ecr.eu-west-1.amazonaws.com/sklearn:1', 'ContainerArguments': ['process']}}},"
                                + "{'Name': 'Gate', 'Type': 'Condition', 'Arguments': {'Conditions': [{'Type': 'GreaterThan',"
                                + " 'LeftValue': {'Get': 'Steps.Missing.Outcome'}, 'RightValue': {'Get': 'Parameters.Nope'}}],"
                                + " 'IfSteps': [{'Name': 'Stop', 'Type': 'Fail', 'Arguments': {'ErrorMessage': {'Get': 'Steps.Other.NoSuchProperty'}}}]}}]}");
        DefinitionException e =
                assertThrows(
                        DefinitionException.class,
                        () ->
                                DefinitionReader.read(
                                        d,
                                        Map.of("Limit", "many"),
                                        new ByoeImages(Set.of()),
                                        false));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("step Fn (Lambda) cannot run on this machine"), all);
        assertTrue(
                all.contains("image '123.dkr.ecr.eu-west-1.amazonaws.com/sklearn:1' is not byoe's"),
                all);
        assertTrue(all.contains("no step 'Missing'"), all);
        assertTrue(all.contains("no parameter 'Nope'"), all);
        assertTrue(all.contains("has no property 'NoSuchProperty'"), all);
        assertTrue(all.contains("--parameter Limit=many: 'many' is not an Integer"), all);
    }

    @Test
    void branchStepsDependOnTheirConditionAndStepsRunAfterWhatTheyRead() throws Exception {
        JsonNode d =
                json(
                        "{'Version': '2020-12-01', 'Steps': ["
                                + "{'Name': 'Gate', 'Type': 'Condition', 'Arguments': {'Conditions': [{'Type': 'Equals',"
                                + " 'LeftValue': {'Get': 'Steps.Make.ModelName'}, 'RightValue': 'x'}],"
                                + " 'ElseSteps': [{'Name': 'Stop', 'Type': 'Fail', 'Arguments': {'ErrorMessage': 'no'}}]}},"
                                + "{'Name': 'Make', 'Type': 'Model', 'Arguments': {'PrimaryContainer': {'Image': 'registry.example.com/team/byoe:2', 'ModelDataUrl': 's3://b/m.tar.gz'}}}]}");
        PipelineDefinition p = DefinitionReader.read(d, Map.of(), new ByoeImages(Set.of()), false);
        assertEquals(List.of("Make", "Gate", "Stop"), p.steps().stream().map(Step::name).toList());
        Step stop = p.step("Stop");
        assertEquals("Gate", stop.condition());
        assertFalse(stop.ifBranch());
        assertEquals(Set.of("Make"), p.step("Gate").dependsOn());
    }

    @Test
    void aManifestFileInputIsRefusedRatherThanTakenForAPrefix() throws Exception {
        JsonNode d =
                json(
                        "{'Version': '2020-12-01', 'Steps': [{'Name': 'Train', 'Type': 'Training', 'Arguments': {"
                                + "'AlgorithmSpecification': {'TrainingImage': 'byoe:latest', 'TrainingInputMode': 'File'},"
                                + " 'InputDataConfig': [{'ChannelName': 'train', 'DataSource': {'S3DataSource':"
                                + " {'S3DataType': 'ManifestFile', 'S3Uri': 's3://b/train.manifest'}}}]}}]}");
        DefinitionException e =
                assertThrows(
                        DefinitionException.class,
                        () -> DefinitionReader.read(d, Map.of(), new ByoeImages(Set.of()), false));
        assertEquals(
                List.of(
                        "step Train (Training): InputDataConfig[train].S3DataType ManifestFile: only S3Prefix runs here"),
                e.problems());
    }

    @Test
    void byoeImagesAreRepositoriesNamedByoe() {
        ByoeImages images = new ByoeImages(Set.of("ghcr.io/acme/scorer:1"));
        assertTrue(images.contains("111122223333.dkr.ecr.us-east-1.amazonaws.com/byoe:latest"));
        assertTrue(images.contains("byoe"));
        assertTrue(images.contains("localhost:5000/byoe@sha256:abc"));
        assertTrue(images.contains("ghcr.io/acme/scorer:1"));
        assertFalse(
                images.contains("111122223333.dkr.ecr.us-east-1.amazonaws.com/byoe-old:latest"));
        assertFalse(images.contains("localhost:5000/byoe/other:1"));
    }
}
