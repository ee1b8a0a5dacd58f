{{/*
RBAC rules, one named template per OperatorPermissions.Scope. They must equal
operator/src/main/java/dev/logpipe/operator/rbac/OperatorPermissions.java: deploy-tests
ChartRbacTest renders the chart and fails on a missing or an extra grant.
*/}}

{{/* Scope.CLUSTER: cluster-scoped resources. */}}
{{- define "logpipe.rules.cluster" -}}
- apiGroups: ["logpipe.dev"]
  resources: ["clusterlogbackends"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["logpipe.dev"]
  resources: ["clusterlogbackends/status", "clusterlogbackends/finalizers"]
  verbs: ["get", "patch", "update"]
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["get", "list", "watch"]
{{- end }}

{{/* Scope.PIPELINE_NAMESPACES: LogPipelines and what the operator creates next to them. */}}
{{- define "logpipe.rules.pipelines" -}}
- apiGroups: ["logpipe.dev"]
  resources: ["logpipelines"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["logpipe.dev"]
  resources: ["logpipelines/status", "logpipelines/finalizers"]
  verbs: ["get", "patch", "update"]
- apiGroups: [""]
  resources: ["configmaps", "secrets", "services"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{/* Scope.KAFKA_NAMESPACES: KafkaTopics next to the Strimzi Kafka clusters. */}}
{{- define "logpipe.rules.kafka" -}}
- apiGroups: ["kafka.strimzi.io"]
  resources: ["kafkatopics"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
{{- end }}

{{/* Scope.OPERATOR_NAMESPACE: leader election and the backends' credential Secrets. */}}
{{- define "logpipe.rules.operatorNamespace" -}}
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update", "patch"]
{{- end }}
