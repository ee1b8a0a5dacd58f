{{/*
RBAC rules, one named template per OperatorPermissions.Scope. They must equal
operator/src/main/java/dev/logpipe/operator/rbac/OperatorPermissions.java: deploy-tests
ChartRbacTest renders the chart and fails on a missing or an extra grant.
*/}}

{{/* Scope.CLUSTER: cluster-scoped resources. */}}
{{- define "logpipe.rules.cluster" -}}
- apiGroups: ["logpipe.dev"]
  resources: ["clusterlogbackends"]
  verbs: ["list", "watch"]
- apiGroups: ["logpipe.dev"]
  resources: ["clusterlogbackends/status"]
  verbs: ["patch"]
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["list", "watch"]
{{- end }}

{{/* Scope.PIPELINE_NAMESPACES: LogPipelines and what the operator creates next to them. */}}
{{- define "logpipe.rules.pipelines" -}}
- apiGroups: ["logpipe.dev"]
  resources: ["logpipelines"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["logpipe.dev"]
  resources: ["logpipelines/status"]
  verbs: ["patch"]
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["list", "watch", "create", "update"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["list"]
- apiGroups: ["keda.sh"]
  resources: ["scaledobjects"]
  verbs: ["list"]
{{- end }}

{{/* Scope.KAFKA_NAMESPACES: KafkaTopics, KafkaUsers and the users' Secrets next to the Strimzi Kafka clusters. */}}
{{- define "logpipe.rules.kafka" -}}
- apiGroups: ["kafka.strimzi.io"]
  resources: ["kafkatopics"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["kafka.strimzi.io"]
  resources: ["kafkausers"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["list", "watch", "delete"]
{{- end }}

{{/* Scope.OPERATOR_NAMESPACE: leader election and the backends' credential Secrets. */}}
{{- define "logpipe.rules.operatorNamespace" -}}
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "patch", "update"]
{{- end }}
