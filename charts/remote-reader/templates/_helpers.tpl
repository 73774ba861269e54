{{- define "reader.labels" -}}
{{- range $k, $v := .Values.commonLabels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
app.kubernetes.io/part-of: istio
{{- end -}}
