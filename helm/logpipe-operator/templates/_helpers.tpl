{{/* Chart name, truncated to a DNS label. */}}
{{- define "logpipe.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: <release>-<chart>, or the release name when it already contains the chart name. */}}
{{- define "logpipe.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "logpipe.selectorLabels" -}}
app.kubernetes.io/name: {{ include "logpipe.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "logpipe.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "logpipe.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: logpipe
{{- end }}

{{- define "logpipe.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "logpipe.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "logpipe.image" -}}
{{- printf "%s:%s" .Values.image.repository (toString (default .Chart.AppVersion .Values.image.tag)) }}
{{- end }}

{{/* The worker image the operator gives every pipeline: repository@digest or repository:tag. */}}
{{- define "logpipe.workerImage" -}}
{{- if .Values.workerImage.digest }}
{{- printf "%s@%s" .Values.workerImage.repository .Values.workerImage.digest }}
{{- else }}
{{- printf "%s:%s" .Values.workerImage.repository (toString (default .Chart.AppVersion .Values.workerImage.tag)) }}
{{- end }}
{{- end }}

{{/* True (non-empty) when the operator watches every namespace. */}}
{{- define "logpipe.watchAll" -}}
{{- if empty .Values.watchNamespaces }}true{{- end }}
{{- end }}
