package io.github.taniumroutes.policy;

import io.github.taniumroutes.action.ActionFlow;
import io.github.taniumroutes.directconnect.DirectConnectFlow;
import io.github.taniumroutes.enrich.EnrichStep;
import io.github.taniumroutes.evidence.FileEvidenceFlow;
import io.github.taniumroutes.question.QuestionFlow;
import io.github.taniumroutes.threatresponse.AlertStateFlow;
import io.github.taniumroutes.threatresponse.SnapshotFlow;

/** The application's step types, as CDI gives them to the policy, for unit tests. */
public final class AllStepTypes {

    public static final StepTypes ALL = StepTypes.of(new EnrichStep(), new SnapshotFlow(), new FileEvidenceFlow(), new QuestionFlow(),
            new ActionFlow(), new DirectConnectFlow(), new AlertStateFlow());

    private AllStepTypes() {
    }
}
